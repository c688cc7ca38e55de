"""Staff profiles over the API: who holds which roles, and which languages they may sign off.

Admins read every profile and set a reviewer's languages (never their own: another admin, or
an operator with `create_staff_user --languages`, must); anyone on the staff reads their own.
Every change of languages is a credential event (`contentapi.credentials`).
"""

from typing import Any

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from contentapi import schema
from contentapi.credentials import staff_languages_set
from contentapi.inputs import validated
from contentapi.models import User
from contentapi.permissions import IsAdmin, IsStaff

PROFILE_EXAMPLE = {
    "username": "mchen",
    "display_name": "Dr. Mei Chen",
    "credentials": "MD, internal medicine",
    "roles": ["reviewer"],
    "languages": ["en", "es"],
    "is_active": True,
}


@extend_schema_serializer(
    examples=[OpenApiExample("A bilingual reviewer", value=PROFILE_EXAMPLE, response_only=True)]
)
class StaffProfileSerializer(serializers.ModelSerializer):
    languages = serializers.ListField(
        source="review_languages",
        child=serializers.CharField(),
        help_text="The content locales this person may approve and re-certify as a reviewer "
        "(admins included). Nobody given languages reviews the default locale only.",
    )

    class Meta:
        model = User
        fields = ["username", "display_name", "credentials", "roles", "languages", "is_active"]
        read_only_fields = fields


class StaffLanguagesSerializer(serializers.Serializer):
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=settings.CONTENT_LOCALES),
        min_length=1,
        max_length=len(settings.CONTENT_LOCALES),
        help_text="Replaces the languages this person may sign off as a reviewer.",
    )


class StaffList(generics.GenericAPIView):
    permission_classes = [IsAdmin]
    serializer_class = StaffProfileSerializer
    # A hospital's staff is hundreds of people at most: one list, by username.
    pagination_class = None

    @extend_schema(
        summary="Every staff user, with roles and review languages (admins)",
        responses={200: StaffProfileSerializer(many=True), **schema.STAFF_ERRORS},
    )
    def get(self, request: Request) -> Response:
        users = User.objects.order_by("username")
        return Response(self.get_serializer(users, many=True).data)


class StaffDetail(generics.GenericAPIView):
    permission_classes = [IsAdmin]
    serializer_class = StaffProfileSerializer

    def _user(self, username: str) -> User:
        return get_object_or_404(User, username=username)

    @extend_schema(
        summary="One staff user's profile (admins)",
        responses={200: StaffProfileSerializer, **schema.STAFF_ERRORS, 404: schema.NOT_FOUND},
    )
    def get(self, request: Request, username: str) -> Response:
        return Response(self.get_serializer(self._user(username)).data)

    @extend_schema(
        summary="Set the languages a reviewer may sign off (admins, not for themselves)",
        description="Replaces `languages`. Written to the user's credential record: who "
        "changed them, when, from which to which. An admin may not change their own (403).",
        request=StaffLanguagesSerializer,
        responses={
            200: StaffProfileSerializer,
            **schema.WRITE_ERRORS,
            404: schema.NOT_FOUND,
        },
        examples=[
            OpenApiExample(
                "English and Spanish", value={"languages": ["en", "es"]}, request_only=True
            )
        ],
    )
    def patch(self, request: Request, username: str) -> Response:
        data = validated(StaffLanguagesSerializer, request.data)
        user = staff_languages_set(
            user=self._user(username),
            languages=data["languages"],
            actor=request.user,
            actor_label=request.user.username,
        )
        return Response(self.get_serializer(user).data)


class StaffMe(generics.GenericAPIView):
    permission_classes = [IsStaff]
    serializer_class = StaffProfileSerializer

    @extend_schema(
        summary="Your own staff profile: roles and the languages you may sign off",
        responses={200: StaffProfileSerializer, **schema.STAFF_ERRORS},
    )
    def get(self, request: Request, *args: Any) -> Response:
        return Response(self.get_serializer(request.user).data)
