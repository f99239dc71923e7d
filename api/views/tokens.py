"""Tokens for systems: create (the secret is shown once), list (never the secret), revoke.

A token cannot mint tokens: creating one needs a browser session, so a leaked token
cannot be used to make itself permanent. Listing and revoking work with either.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.response import Response

from api import schema
from api.models import ApiToken
from api.pagination import Pagination
from api.services import api_token_create, api_token_revoke
from api.views.base import ID_PATTERN

TOKEN_FROM_TOKEN = "Create tokens from a signed-in browser session, not with another token"


class TokenOutput(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "scope",
            "created_at",
            "last_used_at",
            "expires_at",
            "revoked_at",
        ]
        read_only_fields = fields


class TokenCreatedOutput(TokenOutput):
    token = serializers.SerializerMethodField(help_text="The secret: shown this once only")

    class Meta(TokenOutput.Meta):
        fields = [*TokenOutput.Meta.fields, "token"]
        read_only_fields = fields

    def get_token(self, obj) -> str:
        return self.context["secret"]


class TokenCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)
    scope = serializers.ChoiceField(
        choices=ApiToken.Scope.choices,
        default=ApiToken.Scope.READ_WRITE,
        help_text="read: GET only; read_write: whatever the user's role allows",
    )


@extend_schema_view(
    list=extend_schema(
        summary="Your tokens (without their secrets)",
        responses={200: TokenOutput, **schema.LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One of your tokens", responses={200: TokenOutput, **schema.READ_ERRORS}
    ),
)
class TokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = TokenOutput
    pagination_class = Pagination
    lookup_value_regex = ID_PATTERN
    filter_backends = []

    def get_queryset(self):
        return ApiToken.objects.filter(user=self.request.user).order_by("-created_at", "-pk")

    @extend_schema(
        summary="Create a token for a system; the response holds the secret, shown once",
        request=TokenCreateInput,
        responses={201: TokenCreatedOutput, **schema.errors(400, 401, 403)},
    )
    def create(self, request):
        if isinstance(request.auth, ApiToken):
            raise exceptions.PermissionDenied(TOKEN_FROM_TOKEN)
        serializer = TokenCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, secret = api_token_create(by=request.user, **serializer.validated_data)
        data = TokenCreatedOutput(token, context={"secret": secret}).data
        return Response(data, status=201, headers={"Cache-Control": "no-store"})

    @extend_schema(
        summary="Revoke a token at once (it stays listed, with revoked_at)",
        responses={204: None, **schema.errors(400, 401, 403, 404)},
    )
    def destroy(self, request, pk=None):
        api_token_revoke(token=self.get_object(), by=request.user)
        return Response(status=204)
