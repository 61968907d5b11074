from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("dasbor/", views.index, name="index"),
    path("dasbor/angka.xlsx", views.download, name="xlsx"),
]
