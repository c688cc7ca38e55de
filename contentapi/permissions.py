"""Permission classes: who may call an endpoint at all. Rules about objects live in the domain."""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from contentapi.models import Role, User


class IsStaff(BasePermission):
    """An authenticated, active staff user (any role)."""

    message = "A staff token is required."

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.user, User) and request.user.is_active


class HasRole(BasePermission):
    """Staff holding one of `roles` (admins hold them all). Use `HasRole.of(Role.EDITOR)`."""

    roles: tuple[Role, ...] = ()

    @classmethod
    def of(cls, *roles: Role) -> type["HasRole"]:
        names = " or ".join(role.value for role in roles)
        return type(
            f"HasRole_{'_'.join(r.value for r in roles)}",
            (cls,),
            {"roles": roles, "message": f"This needs the {names} role."},
        )

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return isinstance(user, User) and any(user.has_role(role) for role in self.roles)
