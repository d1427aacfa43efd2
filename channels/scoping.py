"""Channel scoping, the one door to a channel's figures: publiq staff see every channel, a
partner organisation's users only their own; any other channel answers 404, never 403, so
nobody learns which ids exist."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from channels.models import Channel
from core.roles import is_publiq_staff


def channels_for(user) -> QuerySet:
    if is_publiq_staff(user):
        return Channel.objects.all()
    if not user.is_authenticated:
        return Channel.objects.none()
    return Channel.objects.filter(partner__members__user=user)


def channel_for(user, channel_id) -> Channel:
    return get_object_or_404(channels_for(user).select_related("partner"), pk=channel_id)
