"""`GET /api/surveys/responses/`: responses for publiq staff, cursor-paginated, stable columns."""

from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import BasePermission

from core.roles import is_publiq_staff
from surveys import selectors
from surveys.models import Answer, Response


class IsPubliqStaff(BasePermission):
    def has_permission(self, request, view):
        return is_publiq_staff(request.user)


class AnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Answer
        fields = ("question", "number", "choice_keys", "text")


class ResponseSerializer(serializers.ModelSerializer):
    museum = serializers.CharField(source="museum.external_id")
    visit_month = serializers.DateField(format="%Y-%m")
    answers = AnswerSerializer(many=True)

    class Meta:
        model = Response
        fields = (
            "id",
            "submitted_at",
            "survey",
            "campaign",
            "museum",
            "visit_month",
            "language",
            "age_group",
            "region",
            "answers",
        )


class ResponsePagination(CursorPagination):
    ordering = "id"
    page_size = 100
    max_page_size = 1000
    page_size_query_param = "page_size"


class ResponseListView(ListAPIView):
    serializer_class = ResponseSerializer
    pagination_class = ResponsePagination
    permission_classes = [IsPubliqStaff]
    filterset_fields = ("campaign", "survey")

    def get_queryset(self):
        return selectors.responses_for_export()
