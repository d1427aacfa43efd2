from django.urls import path

from family import views

app_name = "family"
urlpatterns = [
    path("", views.family_evaluation_view, name="evaluation"),
    path("versions/<int:version>/activate/", views.family_rule_activate_view, name="activate"),
]
