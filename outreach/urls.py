from django.urls import path

from outreach import views

app_name = "outreach"

urlpatterns = [
    path("kalender/", views.calendar_view, name="calendar"),
    path("kalender/baru/", views.session_create, name="create"),
    path("kalender/rangkaian/baru/", views.series_create, name="series_create"),
    path("kalender/langganan/", views.feed_addresses, name="feeds"),
    path("kalender/<uuid:code>/", views.session_detail, name="session"),
    path("kalender/<uuid:code>/berkas/<int:material_id>/", views.material_file, name="material"),
    path("kalender/feed/<str:token>.ics", views.calendar_feed, name="feed"),
]
