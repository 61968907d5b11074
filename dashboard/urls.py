from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("dasbor/", views.index, name="index"),
    path("dasbor/angka.xlsx", views.download, name="xlsx"),
    path("dasbor/tindak-lanjut/", views.followup_rates, name="followup"),
    path("publik/pemilihan/<int:pk>/tindak-lanjut/", views.public_followup_rates, name="public_followup"),
]
