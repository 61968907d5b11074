"""Keyset pagination for incremental sync: rows in (``updated_at``, ``pk``) order, the cursor is the last
row's pair (rows are model objects or ``values()`` mappings). A row changed while a client pages moves behind the cursor's end and comes on a later page (or
the next sync): nothing is skipped, whatever changes between two pages."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param


def encode_cursor(updated_at: datetime, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{updated_at.isoformat()}|{pk}".encode()).decode().rstrip("=")


def decode_cursor(value: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        stamp, pk = raw.split("|")
        moment = datetime.fromisoformat(stamp)
        if moment.tzinfo is None:
            raise ValueError
        return moment, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise serializers.ValidationError(
            {"cursor": [_("Kursor tidak valid; pakai tautan 'next' apa adanya.")]}
        ) from None


class KeysetPagination:
    cursor_param = "cursor"
    page_size_param = "page_size"
    max_page_size = 500

    def page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_param)
        if raw is None:
            return settings.API_PAGE_SIZE
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise serializers.ValidationError(
                {self.page_size_param: [_("Ukuran halaman 1 sampai %(n)d.") % {"n": self.max_page_size}]}
            )
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        size = self.page_size(request)
        cursor = request.query_params.get(self.cursor_param)
        queryset = queryset.order_by("updated_at", "pk")
        if cursor:
            moment, pk = decode_cursor(cursor)
            queryset = queryset.filter(Q(updated_at__gt=moment) | Q(updated_at=moment, pk__gt=pk))
        rows = list(queryset[: size + 1])
        self.has_next = len(rows) > size
        rows = rows[:size]
        self.request = request
        self.last = rows[-1] if rows else None
        return rows

    def next_link(self) -> str | None:
        if not self.has_next or self.last is None:
            return None
        url = self.request.build_absolute_uri()
        last = self.last
        moment, pk = (last["updated_at"], last["pk"]) if isinstance(last, Mapping) else (last.updated_at, last.pk)
        return replace_query_param(url, self.cursor_param, encode_cursor(moment, pk))

    def get_paginated_response(self, data):
        return Response({"next": self.next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return schema_parameters()


def schema_parameters():
    from drf_spectacular.types import OpenApiTypes
    from drf_spectacular.utils import OpenApiParameter

    return [
        OpenApiParameter(
            KeysetPagination.cursor_param,
            OpenApiTypes.STR,
            description=_("Kursor dari tautan 'next' halaman sebelumnya."),
        ),
        OpenApiParameter(
            KeysetPagination.page_size_param,
            OpenApiTypes.INT,
            description=_("Jumlah baris per halaman (bawaan 100, paling banyak 500)."),
        ),
    ]
