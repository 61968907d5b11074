from django.urls import path

from outreach import views

app_name = "outreach"

urlpatterns = [
    path("kalender/feed/<str:token>.ics", views.calendar_feed, name="feed"),
]
