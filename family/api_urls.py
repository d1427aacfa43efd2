from django.urls import path

from family.api import FamilyLabelListView

# Under /api/ (a sibling of /api/curation/decisions/).
urlpatterns = [
    path("curation/family-labels/", FamilyLabelListView.as_view(), name="family-labels"),
]
