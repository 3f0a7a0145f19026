"""Annotated types for rules the OpenAPI documents state only in prose."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from assistants_server.schemas._generated import v1, v2

ApiVersion = Literal["v1", "v2"]

METADATA_MAX_PAIRS = 16
METADATA_MAX_KEY = 64
METADATA_MAX_VALUE = 512
MAX_TOOLS = 128


Metadata = (
    Annotated[
        dict[
            Annotated[str, StringConstraints(max_length=METADATA_MAX_KEY)],
            Annotated[str, StringConstraints(max_length=METADATA_MAX_VALUE)],
        ],
        Field(max_length=METADATA_MAX_PAIRS),
    ]
    | None
)

FunctionName = Annotated[str, StringConstraints(pattern=r"^[a-zA-Z0-9_-]{1,64}$")]


class FunctionDefinitionV1(v1.FunctionObject):
    name: FunctionName


class FunctionDefinitionV2(v2.FunctionObject):
    name: FunctionName


class FunctionToolV1(v1.AssistantToolsFunction):
    function: FunctionDefinitionV1


class FunctionToolV2(v2.AssistantToolsFunction):
    function: FunctionDefinitionV2


ToolV1 = Annotated[
    v1.AssistantToolsCode | v1.AssistantToolsRetrieval | FunctionToolV1,
    Field(discriminator="type"),
]
ToolV2 = Annotated[
    v2.AssistantToolsCode | v2.AssistantToolsFileSearch | FunctionToolV2,
    Field(discriminator="type"),
]
ToolsV1 = Annotated[list[ToolV1], Field(max_length=MAX_TOOLS)]
ToolsV2 = Annotated[list[ToolV2], Field(max_length=MAX_TOOLS)]


def without_nulls(settings: dict[str, Any], *, deep: bool = True) -> dict[str, Any]:
    """`settings` with the options a request sent as `null` left out, as if unsent, so they
    are never shown back as `null` where the spec wants a value. `deep=False` keeps what lies
    below the first level (a JSON schema of the caller's, where `null` means something)."""
    return {
        key: without_nulls(value) if deep and isinstance(value, dict) else value
        for key, value in settings.items()
        if value is not None
    }


def stored_tools(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tools as stored: v1's `retrieval` is v2's `file_search`; options sent as `null` are
    unset (a function's parameters are kept as given)."""
    stored: list[dict[str, Any]] = []
    for tool in tools:
        if tool["type"] == "retrieval":
            stored.append({"type": "file_search"})
        elif tool["type"] == "function":
            stored.append({**tool, "function": without_nulls(tool["function"], deep=False)})
        else:
            stored.append(without_nulls(tool))
    return stored


def stored_response_format(response_format: Any) -> Any:
    """A `response_format` as stored: options sent as `null` are unset (the schema is kept);
    v1's `none` (no format asked) is v2's `auto`."""
    if response_format == "none":
        return "auto"
    if isinstance(response_format, dict) and isinstance(response_format.get("json_schema"), dict):
        schema = without_nulls(response_format["json_schema"], deep=False)
        return {**response_format, "json_schema": schema}
    return response_format


def v1_tools(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored tools as a v1 client knows them: `file_search` shows as `retrieval`."""
    shown: list[dict[str, Any]] = []
    for tool in tools:
        if tool["type"] == "file_search":
            shown.append({"type": "retrieval"})
        elif tool["type"] == "function":
            function = {key: value for key, value in tool["function"].items() if key != "strict"}
            shown.append({"type": "function", "function": function})
        else:
            shown.append(tool)
    return shown
