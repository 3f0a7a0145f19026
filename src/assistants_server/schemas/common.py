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


def stored_tools(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tools as stored: v1's `retrieval` is v2's `file_search`."""
    return [{"type": "file_search"} if tool["type"] == "retrieval" else tool for tool in tools]


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
