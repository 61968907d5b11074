from django.urls import path

from netralitas.reference import views

app_name = "reference"

urlpatterns = [
    path("beranda/", views.supervisor_home, name="supervisor_home"),
    path("tenggat/", views.deadline_calculator, name="deadline_calculator"),
    path("pemkab/", views.pemkab_home, name="pemkab_home"),
]
