"""Permission classes: who may call an endpoint at all. Rules about objects live in the domain."""

from typing import Any

from django.conf import settings
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from contentapi.models import Role, Scope, User
from contentapi.principals import KeyPrincipal


class IsStaff(BasePermission):
    """An authenticated, active staff user (any role)."""

    message = "A staff token is required."

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.user, User) and request.user.is_active


class IsAdmin(BasePermission):
    """A staff user with the admin role."""

    message = "This needs the admin role."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return isinstance(user, User) and user.is_active and Role.ADMIN in user.roles


class HasScope(BasePermission):
    """An integrator key holding `scope`. Use `HasScope.of(Scope.DELIVERY)`."""

    scope: Scope

    @classmethod
    def of(cls, scope: Scope) -> type["HasScope"]:
        return type(
            f"HasScope_{scope.value}",
            (cls,),
            {"scope": scope, "message": f"This needs an API key with the {scope.value} scope."},
        )

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, KeyPrincipal) and request.auth.has_scope(self.scope)


class DeliveryIsPublic(BasePermission):
    """Open to anyone when the DELIVERY_PUBLIC setting is true."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return settings.DELIVERY_PUBLIC


class EhrIsPublic(BasePermission):
    """Open to anyone when DELIVERY_PUBLIC or INFOBUTTON_PUBLIC is true: the endpoints EHRs
    call (Infobutton, CDS Hooks), which many EHRs can be given a URL for but no API key."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return settings.DELIVERY_PUBLIC or settings.INFOBUTTON_PUBLIC
