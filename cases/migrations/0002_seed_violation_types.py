"""The acts of the 2022 joint decree (SKB) on ASN neutrality (DOMAIN.md). Editable in the admin afterwards;
this migration only adds the codes that are missing."""

from django.db import migrations

VIOLATION_TYPES = [
    ("APK", "Memasang spanduk, baliho atau alat peraga kampanye calon", "per kasus"),
    ("MEDSOS-KAMPANYE", "Berkampanye atau mempromosikan calon di media sosial / daring", "per kasus"),
    ("DEKLARASI", "Menghadiri deklarasi atau kegiatan kampanye calon", "per kasus"),
    (
        "MEDSOS-INTERAKSI",
        "Mengunggah, mengomentari, membagikan, menyukai, mengikuti atau bergabung dengan akun/grup calon atau tim pemenangan",
        "berat (PP 94/2021 Pasal 14 huruf i)",
    ),
    (
        "FOTO-GESTUR",
        "Mengunggah foto bersama calon atau tim kampanye dengan simbol keberpihakan atau gestur tangan (jempol, jari, 'saranghae')",
        "berat",
    ),
    ("PARPOL", "Menjadi anggota atau pengurus partai politik", "pemberhentian tidak dengan hormat (PTDH)"),
    (
        "TIM-SUKSES",
        "Menjadi tim ahli, tim pemenangan atau konsultan calon",
        "sedang sebelum penetapan calon, berat sesudahnya",
    ),
    ("KTP", "Memberikan salinan KTP untuk dukungan calon", "berat"),
    (
        "KEPUTUSAN",
        "Membuat keputusan atau tindakan yang menguntungkan atau merugikan calon (UU 10/2016 Pasal 71 ayat 1)",
        "berat / pidana (Pasal 188)",
    ),
    ("FASILITAS", "Menggunakan fasilitas negara atau jabatan untuk kepentingan calon", "per kasus"),
    (
        "KEGIATAN",
        "Mengadakan pertemuan, ajakan atau pemberian kepada pegawai/masyarakat yang menunjukkan keberpihakan",
        "per kasus (PP 94/2021 Pasal 5 huruf n)",
    ),
    ("LAINNYA", "Pelanggaran netralitas lainnya", ""),
]


def seed(apps, schema_editor):
    ViolationType = apps.get_model("cases", "ViolationType")
    for order, (code, name, track) in enumerate(VIOLATION_TYPES, start=1):
        ViolationType.objects.get_or_create(
            code=code, defaults={"name": name, "discipline_track": track, "sort_order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
