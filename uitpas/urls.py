from django.urls import path

from uitpas import views

app_name = "uitpas"
urlpatterns = [
    path("", views.home, name="home"),
    path("staff/", views.staff, name="staff"),
    path("staff/first-five-years/", views.staff_cohorts, name="staff-cohorts"),
]
for prefix, converter, name in (
    ("municipalities", "<str:nis_code>", "municipality"),
    ("card-systems", "<int:card_system_id>", "card-system"),
):
    urlpatterns += [
        path(f"{prefix}/{converter}/", views.ksb, name=name),
        path(f"{prefix}/{converter}/profiles/", views.profiles, name=f"{name}-profiles"),
        path(f"{prefix}/{converter}/first-five-years/", views.cohorts, name=f"{name}-cohorts"),
    ]
