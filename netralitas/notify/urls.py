from django.urls import path

from netralitas.notify import views

app_name = "notify"

urlpatterns = [
    path("pemberitahuan/", views.inbox, name="inbox"),
    path("pemberitahuan/jumlah/", views.badge, name="badge"),
    path("pemberitahuan/baca-semua/", views.read_all, name="read_all"),
    path("pemberitahuan/pengaturan/", views.preferences, name="preferences"),
    path("pemberitahuan/<uuid:code>/", views.open_notification, name="open"),
    path("kelola/kotak-keluar/", views.outbox, name="outbox"),
    path("kelola/kotak-keluar/kirim-ulang/", views.retry, name="retry"),
]
