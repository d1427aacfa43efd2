"""`POST /api/museumpas/visits/`: a museum's own client records a visit with its API token."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from museumpas.services import VisitRefused, museum_for_api_key, visit_record
from museumpas.validators import ImplausibleDate, has_control_characters, visit_moment


class MuseumClient:
    """The authenticated party of the visits API: a museum, not a person."""

    is_authenticated = True

    def __init__(self, museum):
        self.museum = museum
        self.pk = f"museum-{museum.pk}"


class MuseumTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Authorization: Bearer <key>")
        museum = museum_for_api_key(parts[1].decode("latin-1"))
        if museum is None:
            raise AuthenticationFailed("unknown or revoked key")
        return MuseumClient(museum), None

    def authenticate_header(self, request):
        return "Bearer"


class MuseumTokenScheme(OpenApiAuthenticationExtension):
    target_class = MuseumTokenAuthentication
    name = "museumKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A museum's API key"}


class IsMuseumClient(BasePermission):
    """Only a museum's key, whatever authentication a later change adds to the view."""

    def has_permission(self, request, view):
        return isinstance(request.user, MuseumClient)


class PerMuseumThrottle(SimpleRateThrottle):
    rate = "50/second"

    def get_cache_key(self, request, view):
        return f"throttle:visits:{request.user.pk}"


class VisitSerializer(serializers.Serializer):
    passholderId = serializers.CharField(max_length=64)
    visitedAt = serializers.DateTimeField(
        required=False,
        help_text="Not before MUSEUMPAS_EARLIEST_DATE (2018-01-01), at most a day from now.",
    )
    id = serializers.CharField(
        max_length=64,
        required=False,
        help_text="The client's own id of the visit, unique per museum: a retry with it is safe.",
    )

    def validate_visitedAt(self, value):
        try:
            return visit_moment(value)
        except ImplausibleDate as error:
            raise serializers.ValidationError(f"visitedAt {error}") from None

    def validate_id(self, value):
        if has_control_characters(value):
            raise serializers.ValidationError("id holds a control character")
        return value


class VisitCreateView(APIView):
    authentication_classes = [MuseumTokenAuthentication]
    permission_classes = [IsMuseumClient]
    throttle_classes = [PerMuseumThrottle]

    @extend_schema(request=VisitSerializer, responses={201: VisitSerializer, 200: VisitSerializer})
    def post(self, request):
        serializer = VisitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            visit, created = visit_record(
                museum=request.user.museum,
                holder_external_id=data["passholderId"],
                visited_at=data.get("visitedAt"),
                client_id=data.get("id", ""),
            )
        except VisitRefused as error:
            return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
        body = {
            "id": data.get("id") or visit.external_id,
            "passholderId": data["passholderId"],
            "visitedAt": visit.visited_at,
        }
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
