from django.urls import path

from netralitas.accounts import home, views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("akun/masuk/", views.LoginView.as_view(), name="login"),
    path("akun/keluar/", views.LogoutView.as_view(), name="logout"),
    path("akun/sandi/", views.password_change, name="password_change"),
    path("akun/sandi/selesai/", views.password_change_done, name="password_change_done"),
    path("akun/lupa-sandi/", views.password_reset, name="password_reset"),
    path("akun/lupa-sandi/terkirim/", views.password_reset_done, name="password_reset_done"),
    path("akun/reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("akun/reset/selesai/", views.password_reset_complete, name="password_reset_complete"),
    path("akun/", views.account, name="account"),
    path("akun/verifikasi/", views.otp_verify, name="otp_verify"),
    path("akun/dua-langkah/aktifkan/", views.otp_setup, name="otp_setup"),
    path("akun/dua-langkah/kode-cadangan/", views.otp_backup_codes, name="otp_backup_codes"),
    path("akun/dua-langkah/nonaktifkan/", views.otp_disable, name="otp_disable"),
    path("beranda/", home.supervisor_home, name="supervisor_home"),
    path("tenggat/", home.deadline_calculator, name="deadline_calculator"),
    path("pemkab/", home.pemkab_home, name="pemkab_home"),
    path("kelola/", views.office_admin_home, name="office_admin_home"),
    path("kelola/aktivitas-masuk/", views.sign_in_activity, name="sign_in_activity"),
    path("kelola/wilayah/", views.regency_list, name="regency_list"),
    path("kelola/wilayah/baru/", views.regency_new, name="regency_new"),
]
