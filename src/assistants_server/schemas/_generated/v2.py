# GENERATED from spec/assistants-v2.openapi.yaml by scripts/generate-schemas. Do not edit.

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from assistants_server.schemas._base import WireModel
from pydantic import AnyUrl, ConfigDict, Field, RootModel, StringConstraints


class AssistantObjectName(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='The name of the assistant. The maximum length is 256 characters.\n',
            max_length=256,
        ),
    ]


class AssistantObjectDescription(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='The description of the assistant. The maximum length is 512 characters.\n',
            max_length=512,
        ),
    ]


class AssistantObjectInstructions(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description='The system instructions that the assistant uses. The maximum length is 256,000 characters.\n',
            max_length=256000,
        ),
    ]


class AssistantObjectToolResourcesCodeInterpreter(WireModel):
    file_ids: Annotated[
        list[str],
        Field(
            description='A list of [file](/docs/api-reference/files) IDs made available to the `code_interpreter`` tool. There can be a maximum of 20 files associated with the tool.\n',
            max_length=20,
        ),
    ] = []


class AssistantObjectToolResourcesFileSearch(WireModel):
    vector_store_ids: Annotated[
        list[str] | None,
        Field(
            description='The ID of the [vector store](/docs/api-reference/vector-stores/object) attached to this assistant. There can be a maximum of 1 vector store attached to the assistant.\n',
            max_length=1,
        ),
    ] = None


class AssistantObjectToolResources(WireModel):
    code_interpreter: AssistantObjectToolResourcesCodeInterpreter | None = None
    file_search: AssistantObjectToolResourcesFileSearch | None = None


class AssistantObjectTemperature(RootModel[float]):
    root: Annotated[
        float,
        Field(
            description='What sampling temperature to use, between 0 and 2. Higher values like 0.8 will make the output more random, while lower values like 0.2 will make it more focused and deterministic.\n',
            examples=[1],
            ge=0.0,
            le=2.0,
        ),
    ] = 1


class AssistantObjectTopP(RootModel[float]):
    root: Annotated[
        float,
        Field(
            description='An alternative to sampling with temperature, called nucleus sampling, where the model considers the results of the tokens with top_p probability mass. So 0.1 means only the tokens comprising the top 10% probability mass are considered.\n\nWe generally recommend altering this or temperature but not both.\n',
            examples=[1],
            ge=0.0,
            le=1.0,
        ),
    ] = 1


class AssistantSupportedModels(
    RootModel[Literal['gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'gpt-5-2025-08-07', 'gpt-5-mini-2025-08-07', 'gpt-5-nano-2025-08-07', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4.1-2025-04-14', 'gpt-4.1-mini-2025-04-14', 'gpt-4.1-nano-2025-04-14', 'o3-mini', 'o3-mini-2025-01-31', 'o1', 'o1-2024-12-17', 'gpt-4o', 'gpt-4o-2024-11-20', 'gpt-4o-2024-08-06', 'gpt-4o-2024-05-13', 'gpt-4o-mini', 'gpt-4o-mini-2024-07-18', 'gpt-4.5-preview', 'gpt-4.5-preview-2025-02-27', 'gpt-4-turbo', 'gpt-4-turbo-2024-04-09', 'gpt-4-0125-preview', 'gpt-4-turbo-preview', 'gpt-4-1106-preview', 'gpt-4-vision-preview', 'gpt-4', 'gpt-4-0314', 'gpt-4-0613', 'gpt-4-32k', 'gpt-4-32k-0314', 'gpt-4-32k-0613', 'gpt-3.5-turbo', 'gpt-3.5-turbo-16k', 'gpt-3.5-turbo-0613', 'gpt-3.5-turbo-1106', 'gpt-3.5-turbo-0125', 'gpt-3.5-turbo-16k-0613']]
):
    root: Literal['gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'gpt-5-2025-08-07', 'gpt-5-mini-2025-08-07', 'gpt-5-nano-2025-08-07', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4.1-2025-04-14', 'gpt-4.1-mini-2025-04-14', 'gpt-4.1-nano-2025-04-14', 'o3-mini', 'o3-mini-2025-01-31', 'o1', 'o1-2024-12-17', 'gpt-4o', 'gpt-4o-2024-11-20', 'gpt-4o-2024-08-06', 'gpt-4o-2024-05-13', 'gpt-4o-mini', 'gpt-4o-mini-2024-07-18', 'gpt-4.5-preview', 'gpt-4.5-preview-2025-02-27', 'gpt-4-turbo', 'gpt-4-turbo-2024-04-09', 'gpt-4-0125-preview', 'gpt-4-turbo-preview', 'gpt-4-1106-preview', 'gpt-4-vision-preview', 'gpt-4', 'gpt-4-0314', 'gpt-4-0613', 'gpt-4-32k', 'gpt-4-32k-0314', 'gpt-4-32k-0613', 'gpt-3.5-turbo', 'gpt-3.5-turbo-16k', 'gpt-3.5-turbo-0613', 'gpt-3.5-turbo-1106', 'gpt-3.5-turbo-0125', 'gpt-3.5-turbo-16k-0613']


class AssistantToolsCode(WireModel):
    type: Annotated[
        Literal['code_interpreter'],
        Field(description='The type of tool being defined: `code_interpreter`'),
    ]


class AssistantToolsFileSearchTypeOnly(WireModel):
    type: Annotated[
        Literal['file_search'], Field(description='The type of tool being defined: `file_search`')
    ]


class AssistantsNamedToolChoiceFunction(WireModel):
    name: Annotated[str, Field(description='The name of the function to call.')]


class AssistantsNamedToolChoice(WireModel):
    type: Annotated[
        Literal['function', 'code_interpreter', 'file_search'],
        Field(
            description='The type of the tool. If type is `function`, the function name must be set'
        ),
    ]
    function: AssistantsNamedToolChoiceFunction | None = None


class AutoChunkingStrategyRequestParam(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    type: Annotated[Literal['auto'], Field(description='Always `auto`.')]


class ComparisonFilter(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    type: Annotated[
        Literal['ComparisonFilter'],
        Field(
            description='Specifies the comparison operator: `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `nin`.\n- `eq`: equals\n- `ne`: not equal\n- `gt`: greater than\n- `gte`: greater than or equal\n- `lt`: less than\n- `lte`: less than or equal\n- `in`: in\n- `nin`: not in\n'
        ),
    ]
    key: Annotated[str, Field(description='The key to compare against the value.')]
    value: Annotated[
        str | float | bool | list[str | float],
        Field(
            description='The value to compare against the attribute key; supports string, number, or boolean types.'
        ),
    ]


class CreateAssistantRequestToolResourcesCodeInterpreter(WireModel):
    file_ids: Annotated[
        list[str],
        Field(
            description='A list of [file](/docs/api-reference/files) IDs made available to the `code_interpreter` tool. There can be a maximum of 20 files associated with the tool.\n',
            max_length=20,
        ),
    ] = []


class CreateAssistantRequestToolResourcesFileSearchVectorStoreChunkingStrategyStaticStatic(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    max_chunk_size_tokens: Annotated[
        int,
        Field(
            description='The maximum number of tokens in each chunk. The default value is `800`. The minimum value is `100` and the maximum value is `4096`.',
            ge=100,
            le=4096,
        ),
    ]
    chunk_overlap_tokens: Annotated[
        int,
        Field(
            description='The number of tokens that overlap between chunks. The default value is `400`.\n\nNote that the overlap must not exceed half of `max_chunk_size_tokens`.\n'
        ),
    ]


class CreateAssistantRequestToolResourcesFileSearchVectorStoreChunkingStrategyStatic(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    type: Annotated[Literal['static'], Field(description='Always `static`.')]
    static: CreateAssistantRequestToolResourcesFileSearchVectorStoreChunkingStrategyStaticStatic


class CreateMessageRequestAttachment(WireModel):
    file_id: Annotated[
        str | None, Field(description='The ID of the file to attach to the message.')
    ] = None
    tools: Annotated[
        list[AssistantToolsCode | AssistantToolsFileSearchTypeOnly] | None,
        Field(description='The tools to add this file to.'),
    ] = None


class CreateThreadAndRunRequestToolResources(WireModel):
    code_interpreter: CreateAssistantRequestToolResourcesCodeInterpreter | None = None
    file_search: AssistantObjectToolResourcesFileSearch | None = None


class DeleteAssistantResponse(WireModel):
    id: str
    deleted: bool
    object: Literal['assistant.deleted']


class DeleteFileResponse(WireModel):
    id: str
    object: Literal['file']
    deleted: bool


class DeleteMessageResponse(WireModel):
    id: str
    deleted: bool
    object: Literal['thread.message.deleted']


class DeleteThreadResponse(WireModel):
    id: str
    deleted: bool
    object: Literal['thread.deleted']


class DeleteVectorStoreFileResponse(WireModel):
    id: str
    deleted: bool
    object: Literal['vector_store.file.deleted']


class DeleteVectorStoreResponse(WireModel):
    id: str
    deleted: bool
    object: Literal['vector_store.deleted']


class DoneEvent(WireModel):
    event: Literal['done']
    data: Literal['[DONE]']


class Error(WireModel):
    code: str | None
    message: str
    param: str | None
    type: str


class ErrorEvent(WireModel):
    event: Literal['error']
    data: Error


class ErrorResponse(WireModel):
    error: Error


class FileExpirationAfter(WireModel):
    anchor: Annotated[
        Literal['created_at'],
        Field(
            description='Anchor timestamp after which the expiration policy applies. Supported anchors: `created_at`.'
        ),
    ]
    seconds: Annotated[
        int,
        Field(
            description='The number of seconds after the anchor time that the file will expire. Must be between 3600 (1 hour) and 2592000 (30 days).',
            ge=3600,
            le=2592000,
        ),
    ]


class FileSearchRanker(RootModel[Literal['auto', 'default_2024_08_21']]):
    root: Annotated[
        Literal['auto', 'default_2024_08_21'],
        Field(
            description='The ranker to use for the file search. If not specified will use the `auto` ranker.'
        ),
    ]


class FileSearchRankingOptions(WireModel):
    ranker: FileSearchRanker | None = None
    score_threshold: Annotated[
        float,
        Field(
            description='The score threshold for the file search. All values must be a floating point number between 0 and 1.',
            ge=0.0,
            le=1.0,
        ),
    ]


class FunctionParameters(WireModel):
    model_config = ConfigDict(
        extra='allow',
    )


class MessageContentImageFileObjectImageFile(WireModel):
    file_id: Annotated[
        str,
        Field(
            description='The [File](/docs/api-reference/files) ID of the image in the message content. Set `purpose="vision"` when uploading the File if you need to later display the file content.'
        ),
    ]
    detail: Annotated[
        Literal['auto', 'low', 'high'],
        Field(
            description='Specifies the detail level of the image if specified by the user. `low` uses fewer tokens, you can opt in to high resolution using `high`.'
        ),
    ] = 'auto'


class MessageContentImageFileObject(WireModel):
    type: Annotated[Literal['image_file'], Field(description='Always `image_file`.')]
    image_file: MessageContentImageFileObjectImageFile


class MessageContentImageUrlObjectImageUrl(WireModel):
    url: Annotated[
        AnyUrl,
        Field(
            description='The external URL of the image, must be a supported image types: jpeg, jpg, png, gif, webp.'
        ),
    ]
    detail: Annotated[
        Literal['auto', 'low', 'high'],
        Field(
            description='Specifies the detail level of the image. `low` uses fewer tokens, you can opt in to high resolution using `high`. Default value is `auto`'
        ),
    ] = 'auto'


class MessageContentImageUrlObject(WireModel):
    type: Annotated[Literal['image_url'], Field(description='The type of the content part.')]
    image_url: MessageContentImageUrlObjectImageUrl


class MessageContentRefusalObject(WireModel):
    type: Annotated[Literal['refusal'], Field(description='Always `refusal`.')]
    refusal: str


class MessageContentTextAnnotationsFileCitationObjectFileCitation(WireModel):
    file_id: Annotated[str, Field(description='The ID of the specific File the citation is from.')]


class MessageContentTextAnnotationsFileCitationObject(WireModel):
    type: Annotated[Literal['file_citation'], Field(description='Always `file_citation`.')]
    text: Annotated[
        str, Field(description='The text in the message content that needs to be replaced.')
    ]
    file_citation: MessageContentTextAnnotationsFileCitationObjectFileCitation
    start_index: Annotated[int, Field(ge=0)]
    end_index: Annotated[int, Field(ge=0)]


class MessageContentTextAnnotationsFilePathObjectFilePath(WireModel):
    file_id: Annotated[str, Field(description='The ID of the file that was generated.')]


class MessageContentTextAnnotationsFilePathObject(WireModel):
    type: Annotated[Literal['file_path'], Field(description='Always `file_path`.')]
    text: Annotated[
        str, Field(description='The text in the message content that needs to be replaced.')
    ]
    file_path: MessageContentTextAnnotationsFilePathObjectFilePath
    start_index: Annotated[int, Field(ge=0)]
    end_index: Annotated[int, Field(ge=0)]


class MessageContentTextObjectText(WireModel):
    value: Annotated[str, Field(description='The data that makes up the text.')]
    annotations: list[MessageContentTextAnnotationsFileCitationObject | MessageContentTextAnnotationsFilePathObject]


class MessageContentTextObject(WireModel):
    type: Annotated[Literal['text'], Field(description='Always `text`.')]
    text: MessageContentTextObjectText


class MessageDeltaContentImageFileObjectImageFile(WireModel):
    file_id: Annotated[
        str | None,
        Field(
            description='The [File](/docs/api-reference/files) ID of the image in the message content. Set `purpose="vision"` when uploading the File if you need to later display the file content.'
        ),
    ] = None
    detail: Annotated[
        Literal['auto', 'low', 'high'],
        Field(
            description='Specifies the detail level of the image if specified by the user. `low` uses fewer tokens, you can opt in to high resolution using `high`.'
        ),
    ] = 'auto'


class MessageDeltaContentImageFileObject(WireModel):
    index: Annotated[int, Field(description='The index of the content part in the message.')]
    type: Annotated[Literal['image_file'], Field(description='Always `image_file`.')]
    image_file: MessageDeltaContentImageFileObjectImageFile | None = None


class MessageDeltaContentImageUrlObjectImageUrl(WireModel):
    url: Annotated[
        AnyUrl | None,
        Field(
            description='The URL of the image, must be a supported image types: jpeg, jpg, png, gif, webp.'
        ),
    ] = None
    detail: Annotated[
        Literal['auto', 'low', 'high'],
        Field(
            description='Specifies the detail level of the image. `low` uses fewer tokens, you can opt in to high resolution using `high`.'
        ),
    ] = 'auto'


class MessageDeltaContentImageUrlObject(WireModel):
    index: Annotated[int, Field(description='The index of the content part in the message.')]
    type: Annotated[Literal['image_url'], Field(description='Always `image_url`.')]
    image_url: MessageDeltaContentImageUrlObjectImageUrl | None = None


class MessageDeltaContentRefusalObject(WireModel):
    index: Annotated[int, Field(description='The index of the refusal part in the message.')]
    type: Annotated[Literal['refusal'], Field(description='Always `refusal`.')]
    refusal: str | None = None


class MessageDeltaContentTextAnnotationsFileCitationObjectFileCitation(WireModel):
    file_id: Annotated[
        str | None, Field(description='The ID of the specific File the citation is from.')
    ] = None
    quote: Annotated[str | None, Field(description='The specific quote in the file.')] = None


class MessageDeltaContentTextAnnotationsFileCitationObject(WireModel):
    index: Annotated[
        int, Field(description='The index of the annotation in the text content part.')
    ]
    type: Annotated[Literal['file_citation'], Field(description='Always `file_citation`.')]
    text: Annotated[
        str | None, Field(description='The text in the message content that needs to be replaced.')
    ] = None
    file_citation: MessageDeltaContentTextAnnotationsFileCitationObjectFileCitation | None = None
    start_index: Annotated[int | None, Field(ge=0)] = None
    end_index: Annotated[int | None, Field(ge=0)] = None


class MessageDeltaContentTextAnnotationsFilePathObjectFilePath(WireModel):
    file_id: Annotated[str | None, Field(description='The ID of the file that was generated.')] = (
        None
    )


class MessageDeltaContentTextAnnotationsFilePathObject(WireModel):
    index: Annotated[
        int, Field(description='The index of the annotation in the text content part.')
    ]
    type: Annotated[Literal['file_path'], Field(description='Always `file_path`.')]
    text: Annotated[
        str | None, Field(description='The text in the message content that needs to be replaced.')
    ] = None
    file_path: MessageDeltaContentTextAnnotationsFilePathObjectFilePath | None = None
    start_index: Annotated[int | None, Field(ge=0)] = None
    end_index: Annotated[int | None, Field(ge=0)] = None


class MessageDeltaContentTextObjectText(WireModel):
    value: Annotated[str | None, Field(description='The data that makes up the text.')] = None
    annotations: list[MessageDeltaContentTextAnnotationsFileCitationObject | MessageDeltaContentTextAnnotationsFilePathObject] | None = (
        None
    )


class MessageDeltaContentTextObject(WireModel):
    index: Annotated[int, Field(description='The index of the content part in the message.')]
    type: Annotated[Literal['text'], Field(description='Always `text`.')]
    text: MessageDeltaContentTextObjectText | None = None


class MessageDeltaObjectDelta(WireModel):
    role: Annotated[
        Literal['user', 'assistant'] | None,
        Field(description='The entity that produced the message. One of `user` or `assistant`.'),
    ] = None
    content: Annotated[
        list[MessageDeltaContentImageFileObject | MessageDeltaContentTextObject | MessageDeltaContentRefusalObject | MessageDeltaContentImageUrlObject] | None,
        Field(description='The content of the message in array of text and/or images.'),
    ] = None


class MessageDeltaObject(WireModel):
    id: Annotated[
        str,
        Field(
            description='The identifier of the message, which can be referenced in API endpoints.'
        ),
    ]
    object: Annotated[
        Literal['thread.message.delta'],
        Field(description='The object type, which is always `thread.message.delta`.'),
    ]
    delta: Annotated[
        MessageDeltaObjectDelta,
        Field(description='The delta containing the fields that have changed on the Message.'),
    ]


class MessageObjectIncompleteDetails(WireModel):
    reason: Annotated[
        Literal['content_filter', 'max_tokens', 'run_cancelled', 'run_expired', 'run_failed'],
        Field(description='The reason the message is incomplete.'),
    ]


class MessageRequestContentTextObject(WireModel):
    type: Annotated[Literal['text'], Field(description='Always `text`.')]
    text: Annotated[str, Field(description='Text content to be sent to the model')]


class MessageStreamEventMessageStreamEventThreadMessageDelta(WireModel):
    event: Literal['thread.message.delta']
    data: MessageDeltaObject


class Metadata(RootModel[dict[str, str] | None]):
    root: dict[str, str] | None


class Model(WireModel):
    id: Annotated[
        str,
        Field(description='The model identifier, which can be referenced in the API endpoints.'),
    ]
    created: Annotated[
        int, Field(description='The Unix timestamp (in seconds) when the model was created.')
    ]
    object: Annotated[
        Literal['model'], Field(description='The object type, which is always "model".')
    ]
    owned_by: Annotated[str, Field(description='The organization that owns the model.')]
    shutdown_date: Annotated[
        date | None,
        Field(description='The date when the model will shut down, or null if not announced.'),
    ] = None


class ModifyAssistantRequestToolResourcesCodeInterpreter(WireModel):
    file_ids: Annotated[
        list[str],
        Field(
            description='Overrides the list of [file](/docs/api-reference/files) IDs made available to the `code_interpreter` tool. There can be a maximum of 20 files associated with the tool.\n',
            max_length=20,
        ),
    ] = []


class ModifyAssistantRequestToolResourcesFileSearch(WireModel):
    vector_store_ids: Annotated[
        list[str] | None,
        Field(
            description='Overrides the [vector store](/docs/api-reference/vector-stores/object) attached to this assistant. There can be a maximum of 1 vector store attached to the assistant.\n',
            max_length=1,
        ),
    ] = None


class ModifyAssistantRequestToolResources(WireModel):
    code_interpreter: ModifyAssistantRequestToolResourcesCodeInterpreter | None = None
    file_search: ModifyAssistantRequestToolResourcesFileSearch | None = None


class ModifyMessageRequest(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    metadata: Metadata | None = None


class ModifyThreadRequestToolResourcesFileSearch(WireModel):
    vector_store_ids: Annotated[
        list[str] | None,
        Field(
            description='The [vector store](/docs/api-reference/vector-stores/object) attached to this thread. There can be a maximum of 1 vector store attached to the thread.\n',
            max_length=1,
        ),
    ] = None


class ModifyThreadRequestToolResources(WireModel):
    code_interpreter: CreateAssistantRequestToolResourcesCodeInterpreter | None = None
    file_search: ModifyThreadRequestToolResourcesFileSearch | None = None


class ModifyThreadRequest(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    tool_resources: ModifyThreadRequestToolResources | None = None
    metadata: Metadata | None = None


class OpenAIFile(WireModel):
    id: Annotated[
        str, Field(description='The file identifier, which can be referenced in the API endpoints.')
    ]
    bytes: Annotated[int, Field(description='The size of the file, in bytes.')]
    created_at: Annotated[
        int, Field(description='The Unix timestamp (in seconds) for when the file was created.')
    ]
    expires_at: Annotated[
        int | None,
        Field(description='The Unix timestamp (in seconds) for when the file will expire.'),
    ] = None
    filename: Annotated[str, Field(description='The name of the file.')]
    object: Annotated[
        Literal['file'], Field(description='The object type, which is always `file`.')
    ]
    purpose: Annotated[
        Literal['assistants', 'assistants_output', 'batch', 'batch_output', 'fine-tune', 'fine-tune-results', 'vision', 'user_data'],
        Field(
            description='The intended purpose of the file. Supported values are `assistants`, `assistants_output`, `batch`, `batch_output`, `fine-tune`, `fine-tune-results`, `vision`, and `user_data`.'
        ),
    ]
    status: Annotated[
        Literal['uploaded', 'processed', 'error'],
        Field(
            deprecated=True,
            description='Deprecated. The current status of the file, which can be either `uploaded`, `processed`, or `error`.',
        ),
    ]
    status_details: Annotated[
        str | None,
        Field(
            deprecated=True,
            description='Deprecated. For details on why a fine-tuning training file failed validation, see the `error` field on `fine_tuning.job`.',
        ),
    ] = None


class OtherChunkingStrategyResponseParam(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    type: Annotated[Literal['other'], Field(description='Always `other`.')]


class ParallelToolCalls(RootModel[bool]):
    root: Annotated[
        bool,
        Field(
            description='Whether to enable [parallel function calling](/docs/guides/function-calling#configuring-parallel-function-calling) during tool use.'
        ),
    ] = True


class ReasoningEffort(
    RootModel[Literal['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] | None]
):
    root: Literal['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] | None


class ResponseFormatJsonObject(WireModel):
    type: Annotated[
        Literal['json_object'],
        Field(description='The type of response format being defined. Always `json_object`.'),
    ]


class ResponseFormatText(WireModel):
    type: Annotated[
        Literal['text'],
        Field(description='The type of response format being defined. Always `text`.'),
    ]


class RunCompletionUsageRunCompletionUsage(WireModel):
    completion_tokens: Annotated[
        int, Field(description='Number of completion tokens used over the course of the run.')
    ]
    prompt_tokens: Annotated[
        int, Field(description='Number of prompt tokens used over the course of the run.')
    ]
    total_tokens: Annotated[
        int, Field(description='Total number of tokens used (prompt + completion).')
    ]


class RunCompletionUsage(RootModel[RunCompletionUsageRunCompletionUsage | None]):
    root: RunCompletionUsageRunCompletionUsage | None


class RunObjectLastError(WireModel):
    code: Annotated[
        Literal['server_error', 'rate_limit_exceeded', 'invalid_prompt'],
        Field(description='One of `server_error`, `rate_limit_exceeded`, or `invalid_prompt`.'),
    ]
    message: Annotated[str, Field(description='A human-readable description of the error.')]


class RunObjectIncompleteDetails(WireModel):
    reason: Annotated[
        Literal['max_completion_tokens', 'max_prompt_tokens'] | None,
        Field(
            description='The reason why the run is incomplete. This will point to which specific token limit was reached over the course of the run.'
        ),
    ] = None


class RunStepCompletionUsageRunStepCompletionUsage(WireModel):
    completion_tokens: Annotated[
        int, Field(description='Number of completion tokens used over the course of the run step.')
    ]
    prompt_tokens: Annotated[
        int, Field(description='Number of prompt tokens used over the course of the run step.')
    ]
    total_tokens: Annotated[
        int, Field(description='Total number of tokens used (prompt + completion).')
    ]


class RunStepCompletionUsage(RootModel[RunStepCompletionUsageRunStepCompletionUsage | None]):
    root: RunStepCompletionUsageRunStepCompletionUsage | None


class RunStepDeltaStepDetailsMessageCreationObjectMessageCreation(WireModel):
    message_id: Annotated[
        str | None, Field(description='The ID of the message that was created by this run step.')
    ] = None


class RunStepDeltaStepDetailsMessageCreationObject(WireModel):
    type: Annotated[Literal['message_creation'], Field(description='Always `message_creation`.')]
    message_creation: RunStepDeltaStepDetailsMessageCreationObjectMessageCreation | None = None


class RunStepDeltaStepDetailsToolCallsCodeOutputImageObjectImage(WireModel):
    file_id: Annotated[
        str | None, Field(description='The [file](/docs/api-reference/files) ID of the image.')
    ] = None


class RunStepDeltaStepDetailsToolCallsCodeOutputImageObject(WireModel):
    index: Annotated[int, Field(description='The index of the output in the outputs array.')]
    type: Annotated[Literal['image'], Field(description='Always `image`.')]
    image: RunStepDeltaStepDetailsToolCallsCodeOutputImageObjectImage | None = None


class RunStepDeltaStepDetailsToolCallsCodeOutputLogsObject(WireModel):
    index: Annotated[int, Field(description='The index of the output in the outputs array.')]
    type: Annotated[Literal['logs'], Field(description='Always `logs`.')]
    logs: Annotated[
        str | None, Field(description='The text output from the Code Interpreter tool call.')
    ] = None


class RunStepDeltaStepDetailsToolCallsFileSearchObject(WireModel):
    index: Annotated[int, Field(description='The index of the tool call in the tool calls array.')]
    id: Annotated[str | None, Field(description='The ID of the tool call object.')] = None
    type: Annotated[
        Literal['file_search'],
        Field(
            description='The type of tool call. This is always going to be `file_search` for this type of tool call.'
        ),
    ]
    file_search: Annotated[
        dict[str, Any], Field(description='For now, this is always going to be an empty object.')
    ]


class RunStepDeltaStepDetailsToolCallsFunctionObjectFunction(WireModel):
    name: Annotated[str | None, Field(description='The name of the function.')] = None
    arguments: Annotated[str | None, Field(description='The arguments passed to the function.')] = (
        None
    )
    output: str | None = None


class RunStepDeltaStepDetailsToolCallsFunctionObject(WireModel):
    index: Annotated[int, Field(description='The index of the tool call in the tool calls array.')]
    id: Annotated[str | None, Field(description='The ID of the tool call object.')] = None
    type: Annotated[
        Literal['function'],
        Field(
            description='The type of tool call. This is always going to be `function` for this type of tool call.'
        ),
    ]
    function: Annotated[
        RunStepDeltaStepDetailsToolCallsFunctionObjectFunction | None,
        Field(description='The definition of the function that was called.'),
    ] = None


class RunStepDetailsMessageCreationObjectMessageCreation(WireModel):
    message_id: Annotated[
        str, Field(description='The ID of the message that was created by this run step.')
    ]


class RunStepDetailsMessageCreationObject(WireModel):
    type: Annotated[Literal['message_creation'], Field(description='Always `message_creation`.')]
    message_creation: RunStepDetailsMessageCreationObjectMessageCreation


class RunStepDetailsToolCallsCodeOutputImageObjectImage(WireModel):
    file_id: Annotated[
        str, Field(description='The [file](/docs/api-reference/files) ID of the image.')
    ]


class RunStepDetailsToolCallsCodeOutputImageObject(WireModel):
    type: Annotated[Literal['image'], Field(description='Always `image`.')]
    image: RunStepDetailsToolCallsCodeOutputImageObjectImage


class RunStepDetailsToolCallsCodeOutputLogsObject(WireModel):
    type: Annotated[Literal['logs'], Field(description='Always `logs`.')]
    logs: Annotated[str, Field(description='The text output from the Code Interpreter tool call.')]


class RunStepDetailsToolCallsFileSearchRankingOptionsObject(WireModel):
    ranker: FileSearchRanker
    score_threshold: Annotated[
        float,
        Field(
            description='The score threshold for the file search. All values must be a floating point number between 0 and 1.',
            ge=0.0,
            le=1.0,
        ),
    ]


class RunStepDetailsToolCallsFileSearchResultObjectContentItem(WireModel):
    type: Annotated[Literal['text'] | None, Field(description='The type of the content.')] = None
    text: Annotated[str | None, Field(description='The text content of the file.')] = None


class RunStepDetailsToolCallsFileSearchResultObject(WireModel):
    file_id: Annotated[str, Field(description='The ID of the file that result was found in.')]
    file_name: Annotated[str, Field(description='The name of the file that result was found in.')]
    score: Annotated[
        float,
        Field(
            description='The score of the result. All values must be a floating point number between 0 and 1.',
            ge=0.0,
            le=1.0,
        ),
    ]
    content: Annotated[
        list[RunStepDetailsToolCallsFileSearchResultObjectContentItem] | None,
        Field(
            description='The content of the result that was found. The content is only included if requested via the include query parameter.'
        ),
    ] = None


class RunStepDetailsToolCallsFunctionObjectFunction(WireModel):
    name: Annotated[str, Field(description='The name of the function.')]
    arguments: Annotated[str, Field(description='The arguments passed to the function.')]
    output: str | None


class RunStepDetailsToolCallsFunctionObject(WireModel):
    id: Annotated[str, Field(description='The ID of the tool call object.')]
    type: Annotated[
        Literal['function'],
        Field(
            description='The type of tool call. This is always going to be `function` for this type of tool call.'
        ),
    ]
    function: Annotated[
        RunStepDetailsToolCallsFunctionObjectFunction,
        Field(description='The definition of the function that was called.'),
    ]


class RunStepObjectLastError(WireModel):
    code: Annotated[
        Literal['server_error', 'rate_limit_exceeded'],
        Field(description='One of `server_error` or `rate_limit_exceeded`.'),
    ]
    message: Annotated[str, Field(description='A human-readable description of the error.')]


class RunToolCallObjectFunction(WireModel):
    name: Annotated[str, Field(description='The name of the function.')]
    arguments: Annotated[
        str, Field(description='The arguments that the model expects you to pass to the function.')
    ]


class RunToolCallObject(WireModel):
    id: Annotated[
        str,
        Field(
            description='The ID of the tool call. This ID must be referenced when you submit the tool outputs in using the [Submit tool outputs to run](/docs/api-reference/runs/submitToolOutputs) endpoint.'
        ),
    ]
    type: Annotated[
        Literal['function'],
        Field(
            description='The type of tool call the output is required for. For now, this is always `function`.'
        ),
    ]
    function: Annotated[RunToolCallObjectFunction, Field(description='The function definition.')]


class SubmitToolOutputsRunRequestToolOutput(WireModel):
    tool_call_id: Annotated[
        str | None,
        Field(
            description='The ID of the tool call in the `required_action` object within the run object the output is being submitted for.'
        ),
    ] = None
    output: Annotated[
        str | None,
        Field(description='The output of the tool call to be submitted to continue the run.'),
    ] = None


class SubmitToolOutputsRunRequest(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    tool_outputs: Annotated[
        list[SubmitToolOutputsRunRequestToolOutput],
        Field(description='A list of tools for which the outputs are being submitted.'),
    ]
    stream: bool | None = None


class ThreadObject(WireModel):
    id: Annotated[
        str, Field(description='The identifier, which can be referenced in API endpoints.')
    ]
    object: Annotated[
        Literal['thread'], Field(description='The object type, which is always `thread`.')
    ]
    created_at: Annotated[
        int, Field(description='The Unix timestamp (in seconds) for when the thread was created.')
    ]
    tool_resources: ModifyThreadRequestToolResources | None
    metadata: Metadata | None


class ThreadStreamEventThreadStreamEventThreadCreated(WireModel):
    enabled: Annotated[
        bool | None, Field(description='Whether to enable input audio transcription.')
    ] = None
    event: Literal['thread.created']
    data: ThreadObject


class ThreadStreamEvent(RootModel[ThreadStreamEventThreadStreamEventThreadCreated]):
    root: ThreadStreamEventThreadStreamEventThreadCreated


class TruncationObjectLastMessages(RootModel[int]):
    root: Annotated[
        int,
        Field(
            description='The number of most recent messages from the thread when constructing the context for the run.',
            ge=1,
        ),
    ]


class TruncationObject(WireModel):
    type: Annotated[
        Literal['auto', 'last_messages'],
        Field(
            description='The truncation strategy to use for the thread. The default is `auto`. If set to `last_messages`, the thread will be truncated to the n most recent messages in the thread. When set to `auto`, messages in the middle of the thread will be dropped to fit the context length of the model, `max_prompt_tokens`.'
        ),
    ]
    last_messages: TruncationObjectLastMessages | None = None


class VectorStoreExpirationAfter(WireModel):
    anchor: Annotated[
        Literal['last_active_at'],
        Field(
            description='Anchor timestamp after which the expiration policy applies. Supported anchors: `last_active_at`.'
        ),
    ]
    days: Annotated[
        int,
        Field(
            description='The number of days after the anchor time that the vector store will expire.',
            ge=1,
            le=365,
        ),
    ]


class VectorStoreFileAttributesVectorStoreFileAttributes(RootModel[str]):
    root: Annotated[str, Field(max_length=512)]


class VectorStoreFileAttributes(
    RootModel[
        dict[
            Annotated[str, StringConstraints(max_length=64)],
            VectorStoreFileAttributesVectorStoreFileAttributes | float | bool,
        ]
        | None
    ]
):
    root: (
        dict[
            Annotated[str, StringConstraints(max_length=64)],
            VectorStoreFileAttributesVectorStoreFileAttributes | float | bool,
        ]
        | None
    )


class VectorStoreFileBatchObjectFileCounts(WireModel):
    in_progress: Annotated[
        int, Field(description='The number of files that are currently being processed.')
    ]
    completed: Annotated[int, Field(description='The number of files that have been processed.')]
    failed: Annotated[int, Field(description='The number of files that have failed to process.')]
    cancelled: Annotated[int, Field(description='The number of files that where cancelled.')]
    total: Annotated[int, Field(description='The total number of files.')]


class VectorStoreFileBatchObject(WireModel):
    id: Annotated[
        str, Field(description='The identifier, which can be referenced in API endpoints.')
    ]
    object: Annotated[
        Literal['vector_store.files_batch'],
        Field(description='The object type, which is always `vector_store.file_batch`.'),
    ]
    created_at: Annotated[
        int,
        Field(
            description='The Unix timestamp (in seconds) for when the vector store files batch was created.'
        ),
    ]
    vector_store_id: Annotated[
        str,
        Field(
            description='The ID of the [vector store](/docs/api-reference/vector-stores/object) that the [File](/docs/api-reference/files) is attached to.'
        ),
    ]
    status: Annotated[
        Literal['in_progress', 'completed', 'cancelled', 'failed'],
        Field(
            description='The status of the vector store files batch, which can be either `in_progress`, `completed`, `cancelled` or `failed`.'
        ),
    ]
    file_counts: VectorStoreFileBatchObjectFileCounts


class VectorStoreFileContentResponseDatum(WireModel):
    type: Annotated[str | None, Field(description='The content type (currently only `"text"`)')] = (
        None
    )
    text: Annotated[str | None, Field(description='The text content')] = None


class VectorStoreFileContentResponse(WireModel):
    object: Annotated[
        Literal['vector_store.file_content.page'],
        Field(description='The object type, which is always `vector_store.file_content.page`'),
    ]
    data: Annotated[
        list[VectorStoreFileContentResponseDatum], Field(description='Parsed content of the file.')
    ]
    has_more: Annotated[
        bool, Field(description='Indicates if there are more content pages to fetch.')
    ]
    next_page: str | None


class VectorStoreFileObjectLastError(WireModel):
    code: Annotated[
        Literal['server_error', 'unsupported_file', 'invalid_file'],
        Field(description='One of `server_error`, `unsupported_file`, or `invalid_file`.'),
    ]
    message: Annotated[str, Field(description='A human-readable description of the error.')]


class VectorStoreFileObject(WireModel):
    id: Annotated[
        str, Field(description='The identifier, which can be referenced in API endpoints.')
    ]
    object: Annotated[
        Literal['vector_store.file'],
        Field(description='The object type, which is always `vector_store.file`.'),
    ]
    usage_bytes: Annotated[
        int,
        Field(
            description='The total vector store usage in bytes. Note that this may be different from the original file size.'
        ),
    ]
    created_at: Annotated[
        int,
        Field(
            description='The Unix timestamp (in seconds) for when the vector store file was created.'
        ),
    ]
    vector_store_id: Annotated[
        str,
        Field(
            description='The ID of the [vector store](/docs/api-reference/vector-stores/object) that the [File](/docs/api-reference/files) is attached to.'
        ),
    ]
    status: Annotated[
        Literal['in_progress', 'completed', 'cancelled', 'failed'],
        Field(
            description='The status of the vector store file, which can be either `in_progress`, `completed`, `cancelled`, or `failed`. The status `completed` indicates that the vector store file is ready for use.'
        ),
    ]
    last_error: VectorStoreFileObjectLastError | None
    chunking_strategy: Annotated[
        CreateAssistantRequestToolResourcesFileSearchVectorStoreChunkingStrategyStatic | OtherChunkingStrategyResponseParam | None,
        Field(description='The strategy used to chunk the file.'),
    ] = None
    attributes: VectorStoreFileAttributes | None = None


class VectorStoreObjectFileCounts(WireModel):
    in_progress: Annotated[
        int, Field(description='The number of files that are currently being processed.')
    ]
    completed: Annotated[
        int, Field(description='The number of files that have been successfully processed.')
    ]
    failed: Annotated[int, Field(description='The number of files that have failed to process.')]
    cancelled: Annotated[int, Field(description='The number of files that were cancelled.')]
    total: Annotated[int, Field(description='The total number of files.')]


class VectorStoreObject(WireModel):
    id: Annotated[
        str, Field(description='The identifier, which can be referenced in API endpoints.')
    ]
    object: Annotated[
        Literal['vector_store'],
        Field(description='The object type, which is always `vector_store`.'),
    ]
    created_at: Annotated[
        int,
        Field(description='The Unix timestamp (in seconds) for when the vector store was created.'),
    ]
    name: Annotated[str, Field(description='The name of the vector store.')]
    usage_bytes: Annotated[
        int, Field(description='The total number of bytes used by the files in the vector store.')
    ]
    file_counts: VectorStoreObjectFileCounts
    status: Annotated[
        Literal['expired', 'in_progress', 'completed'],
        Field(
            description='The status of the vector store, which can be either `expired`, `in_progress`, or `completed`. A status of `completed` indicates that the vector store is ready for use.'
        ),
    ]
    expires_after: VectorStoreExpirationAfter | None = None
    expires_at: int | None = None
    last_active_at: int | None
    metadata: Metadata | None


class VectorStoreSearchRequestQueryItem(RootModel[str]):
    root: Annotated[str, Field(description='A list of queries to search for.', min_length=1)]


class VectorStoreSearchRequestRankingOptions(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    ranker: Annotated[
        Literal['none', 'auto', 'default-2024-11-15'],
        Field(
            description='Enable re-ranking; set to `none` to disable, which can help reduce latency.'
        ),
    ] = 'auto'
    score_threshold: Annotated[float, Field(ge=0.0, le=1.0)] = 0


class VectorStoreSearchResultContentObject(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    type: Annotated[Literal['text'], Field(description='The type of content.')]
    text: Annotated[str, Field(description='The text content returned from search.')]


class VectorStoreSearchResultItem(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    file_id: Annotated[str, Field(description='The ID of the vector store file.')]
    filename: Annotated[str, Field(description='The name of the vector store file.')]
    score: Annotated[
        float, Field(description='The similarity score for the result.', ge=0.0, le=1.0)
    ]
    attributes: VectorStoreFileAttributes | None
    content: Annotated[
        list[VectorStoreSearchResultContentObject],
        Field(description='Content chunks from the file.'),
    ]


class VectorStoreSearchResultsPageSearchQueryItem(RootModel[str]):
    root: Annotated[str, Field(description='The query used for this search.', min_length=1)]


class VectorStoreSearchResultsPage(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    object: Annotated[
        Literal['vector_store.search_results.page'],
        Field(description='The object type, which is always `vector_store.search_results.page`'),
    ]
    search_query: list[VectorStoreSearchResultsPageSearchQueryItem]
    data: Annotated[
        list[VectorStoreSearchResultItem], Field(description='The list of search result items.')
    ]
    has_more: Annotated[bool, Field(description='Indicates if there are more results to fetch.')]
    next_page: str | None


class AssistantToolsFileSearchFileSearch(WireModel):
    max_num_results: Annotated[
        int | None,
        Field(
            description='The maximum number of results the file search tool should output. The default is 20 for `gpt-4*` models and 5 for `gpt-3.5-turbo`. This number should be between 1 and 50 inclusive.\n\nNote that the file search tool may output fewer than `max_num_results` results. See the [file search tool documentation](/docs/assistants/tools/file-search#customizing-file-search-settings) for more information.\n',
            ge=1,
            le=50,
        ),
    ] = None
    ranking_options: FileSearchRankingOptions | None = None


class AssistantToolsFileSearch(WireModel):
    type: Annotated[
        Literal['file_search'], Field(description='The type of tool being defined: `file_search`')
    ]
    file_search: Annotated[
        AssistantToolsFileSearchFileSearch | None,
        Field(description='Overrides for the file search tool.'),
    ] = None


class AssistantsApiToolChoiceOption(
    RootModel[Literal['none', 'auto', 'required'] | AssistantsNamedToolChoice]
):
    root: Annotated[
        Literal['none', 'auto', 'required'] | AssistantsNamedToolChoice,
        Field(
            description='Controls which (if any) tool is called by the model.\n`none` means the model will not call any tools and instead generates a message.\n`auto` is the default value and means the model can pick between generating a message or calling one or more tools.\n`required` means the model must call one or more tools before responding to the user.\nSpecifying a particular tool like `{"type": "file_search"}` or `{"type": "function", "function": {"name": "my_function"}}` forces the model to call that tool.\n'
        ),
    ]


class ChunkingStrategyRequestParam(
    RootModel[
        AutoChunkingStrategyRequestParam
        | CreateAssistantRequestToolResourcesFileSearchVectorStoreChunkingStrategyStatic
    ]
):
    root: Annotated[
        AutoChunkingStrategyRequestParam | CreateAssistantRequestToolResourcesFileSearchVectorStoreChunkingStrategyStatic,
        Field(
            description='The chunking strategy used to chunk the file(s). If not set, will use the `auto` strategy.',
            discriminator='type',
        ),
    ]


class CreateAssistantRequestToolResourcesFileSearchVectorStore(WireModel):
    file_ids: Annotated[
        list[str] | None,
        Field(
            description='A list of [file](/docs/api-reference/files) IDs to add to the vector store. For vector stores created before Nov 2025, there can be a maximum of 10,000 files in a vector store. For vector stores created starting in Nov 2025, the limit is 100,000,000 files.\n',
            max_length=100000000,
        ),
    ] = None
    chunking_strategy: Annotated[
        AutoChunkingStrategyRequestParam | CreateAssistantRequestToolResourcesFileSearchVectorStoreChunkingStrategyStatic | None,
        Field(
            description='The chunking strategy used to chunk the file(s). If not set, will use the `auto` strategy.'
        ),
    ] = None
    metadata: Metadata | None = None


class CreateAssistantRequestToolResourcesFileSearch(WireModel):
    vector_store_ids: Annotated[
        list[str],
        Field(
            description='The [vector store](/docs/api-reference/vector-stores/object) attached to this assistant. There can be a maximum of 1 vector store attached to the assistant.\n',
            max_length=1,
        ),
    ]
    vector_stores: Annotated[
        list[CreateAssistantRequestToolResourcesFileSearchVectorStore] | None,
        Field(
            description='A helper to create a [vector store](/docs/api-reference/vector-stores/object) with file_ids and attach it to this assistant. There can be a maximum of 1 vector store attached to the assistant.\n',
            max_length=1,
        ),
    ] = None


class CreateAssistantRequestToolResourcesFileSearch1(WireModel):
    vector_store_ids: Annotated[
        list[str] | None,
        Field(
            description='The [vector store](/docs/api-reference/vector-stores/object) attached to this assistant. There can be a maximum of 1 vector store attached to the assistant.\n',
            max_length=1,
        ),
    ] = None
    vector_stores: Annotated[
        list[CreateAssistantRequestToolResourcesFileSearchVectorStore],
        Field(
            description='A helper to create a [vector store](/docs/api-reference/vector-stores/object) with file_ids and attach it to this assistant. There can be a maximum of 1 vector store attached to the assistant.\n',
            max_length=1,
        ),
    ]


class CreateAssistantRequestToolResources(WireModel):
    code_interpreter: CreateAssistantRequestToolResourcesCodeInterpreter | None = None
    file_search: (
        CreateAssistantRequestToolResourcesFileSearch
        | CreateAssistantRequestToolResourcesFileSearch1
        | None
    ) = None


class CreateFileRequest(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    file: Annotated[bytes, Field(description='The File object (not file name) to be uploaded.\n')]
    purpose: Annotated[
        Literal['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'],
        Field(
            description='The intended purpose of the uploaded file. One of:\n- `assistants`: Used in the Assistants API\n- `batch`: Used in the Batch API\n- `fine-tune`: Used for fine-tuning\n- `vision`: Images used for vision fine-tuning\n- `user_data`: Flexible file type for any purpose\n- `evals`: Used for eval data sets\n'
        ),
    ]
    expires_after: FileExpirationAfter | None = None


class CreateMessageRequestContent(
    RootModel[list[MessageContentImageFileObject | MessageContentImageUrlObject | MessageRequestContentTextObject]]
):
    root: Annotated[
        list[MessageContentImageFileObject | MessageContentImageUrlObject | MessageRequestContentTextObject],
        Field(
            description='An array of content parts with a defined type, each can be of type `text` or images can be passed with `image_url` or `image_file`. Image types are only supported on [Vision-compatible models](/docs/models).',
            min_length=1,
            title='Array of content parts',
        ),
    ]


class CreateMessageRequest(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    role: Annotated[
        Literal['user', 'assistant'],
        Field(
            description='The role of the entity that is creating the message. Allowed values include:\n- `user`: Indicates the message is sent by an actual user and should be used in most cases to represent user-generated messages.\n- `assistant`: Indicates the message is generated by the assistant. Use this value to insert messages from the assistant into the conversation.\n'
        ),
    ]
    content: str | CreateMessageRequestContent
    attachments: list[CreateMessageRequestAttachment] | None = None
    metadata: Metadata | None = None


class CreateThreadRequestToolResourcesFileSearch(WireModel):
    vector_store_ids: Annotated[
        list[str],
        Field(
            description='The [vector store](/docs/api-reference/vector-stores/object) attached to this thread. There can be a maximum of 1 vector store attached to the thread.\n',
            max_length=1,
        ),
    ]
    vector_stores: Annotated[
        list[CreateAssistantRequestToolResourcesFileSearchVectorStore] | None,
        Field(
            description='A helper to create a [vector store](/docs/api-reference/vector-stores/object) with file_ids and attach it to this thread. There can be a maximum of 1 vector store attached to the thread.\n',
            max_length=1,
        ),
    ] = None


class CreateThreadRequestToolResourcesFileSearch1(WireModel):
    vector_store_ids: Annotated[
        list[str] | None,
        Field(
            description='The [vector store](/docs/api-reference/vector-stores/object) attached to this thread. There can be a maximum of 1 vector store attached to the thread.\n',
            max_length=1,
        ),
    ] = None
    vector_stores: Annotated[
        list[CreateAssistantRequestToolResourcesFileSearchVectorStore],
        Field(
            description='A helper to create a [vector store](/docs/api-reference/vector-stores/object) with file_ids and attach it to this thread. There can be a maximum of 1 vector store attached to the thread.\n',
            max_length=1,
        ),
    ]


class CreateThreadRequestToolResources(WireModel):
    code_interpreter: CreateAssistantRequestToolResourcesCodeInterpreter | None = None
    file_search: (
        CreateThreadRequestToolResourcesFileSearch
        | CreateThreadRequestToolResourcesFileSearch1
        | None
    ) = None


class CreateThreadRequest(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    messages: Annotated[
        list[CreateMessageRequest] | None,
        Field(
            description='A list of [messages](/docs/api-reference/messages) to start the thread with.'
        ),
    ] = None
    tool_resources: CreateThreadRequestToolResources | None = None
    metadata: Metadata | None = None


class CreateVectorStoreFileRequest(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    file_id: Annotated[
        str,
        Field(
            description='A [File](/docs/api-reference/files) ID that the vector store should use. Useful for tools like `file_search` that can access files. For multi-file ingestion, we recommend [`file_batches`](/docs/api-reference/vector-stores-file-batches/createBatch) to minimize per-vector-store write requests.'
        ),
    ]
    chunking_strategy: ChunkingStrategyRequestParam | None = None
    attributes: VectorStoreFileAttributes | None = None


class CreateVectorStoreRequest(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    file_ids: Annotated[
        list[str] | None,
        Field(
            description='A list of [File](/docs/api-reference/files) IDs that the vector store should use. Useful for tools like `file_search` that can access files.',
            max_length=500,
        ),
    ] = None
    name: Annotated[str | None, Field(description='The name of the vector store.')] = None
    description: Annotated[
        str | None,
        Field(
            description="A description for the vector store. Can be used to describe the vector store's purpose."
        ),
    ] = None
    expires_after: VectorStoreExpirationAfter | None = None
    chunking_strategy: Annotated[
        AutoChunkingStrategyRequestParam | CreateAssistantRequestToolResourcesFileSearchVectorStoreChunkingStrategyStatic | None,
        Field(
            description='The chunking strategy used to chunk the file(s). If not set, will use the `auto` strategy. Only applicable if `file_ids` is non-empty.'
        ),
    ] = None
    metadata: Metadata | None = None


class FunctionObject(WireModel):
    description: Annotated[
        str | None,
        Field(
            description='A description of what the function does, used by the model to choose when and how to call the function.'
        ),
    ] = None
    name: Annotated[
        str,
        Field(
            description='The name of the function to be called. Must be a-z, A-Z, 0-9, or contain underscores and dashes, with a maximum length of 64.'
        ),
    ]
    parameters: FunctionParameters | None = None
    strict: bool | None = None


class ListFilesResponse(WireModel):
    object: Annotated[str, Field(examples=['list'])]
    data: list[OpenAIFile]
    first_id: Annotated[str, Field(examples=['file-abc123'])]
    last_id: Annotated[str, Field(examples=['file-abc456'])]
    has_more: Annotated[bool, Field(examples=[False])]


class ListModelsResponse(WireModel):
    object: Literal['list']
    data: list[Model]


class ListVectorStoreFilesResponse(WireModel):
    object: Annotated[str, Field(examples=['list'])]
    data: list[VectorStoreFileObject]
    first_id: Annotated[str, Field(examples=['file-abc123'])]
    last_id: Annotated[str, Field(examples=['file-abc456'])]
    has_more: Annotated[bool, Field(examples=[False])]


class ListVectorStoresResponse(WireModel):
    object: Annotated[str, Field(examples=['list'])]
    data: list[VectorStoreObject]
    first_id: Annotated[str, Field(examples=['vs_abc123'])]
    last_id: Annotated[str, Field(examples=['vs_abc456'])]
    has_more: Annotated[bool, Field(examples=[False])]


class MessageObject(WireModel):
    id: Annotated[
        str, Field(description='The identifier, which can be referenced in API endpoints.')
    ]
    object: Annotated[
        Literal['thread.message'],
        Field(description='The object type, which is always `thread.message`.'),
    ]
    created_at: Annotated[
        int, Field(description='The Unix timestamp (in seconds) for when the message was created.')
    ]
    thread_id: Annotated[
        str,
        Field(
            description='The [thread](/docs/api-reference/threads) ID that this message belongs to.'
        ),
    ]
    status: Annotated[
        Literal['in_progress', 'incomplete', 'completed'],
        Field(
            description='The status of the message, which can be either `in_progress`, `incomplete`, or `completed`.'
        ),
    ]
    incomplete_details: MessageObjectIncompleteDetails | None
    completed_at: int | None
    incomplete_at: int | None
    role: Annotated[
        Literal['user', 'assistant'],
        Field(description='The entity that produced the message. One of `user` or `assistant`.'),
    ]
    content: Annotated[
        list[MessageContentImageFileObject | MessageContentImageUrlObject | MessageContentTextObject | MessageContentRefusalObject],
        Field(description='The content of the message in array of text and/or images.'),
    ]
    assistant_id: str | None
    run_id: str | None
    attachments: list[CreateMessageRequestAttachment] | None
    metadata: Metadata | None


class MessageStreamEventMessageStreamEventThreadMessageCreated(WireModel):
    event: Literal['thread.message.created']
    data: MessageObject


class MessageStreamEventMessageStreamEventThreadMessageInProgress(WireModel):
    event: Literal['thread.message.in_progress']
    data: MessageObject


class MessageStreamEventMessageStreamEventThreadMessageCompleted(WireModel):
    event: Literal['thread.message.completed']
    data: MessageObject


class MessageStreamEventMessageStreamEventThreadMessageIncomplete(WireModel):
    event: Literal['thread.message.incomplete']
    data: MessageObject


class MessageStreamEvent(
    RootModel[
        MessageStreamEventMessageStreamEventThreadMessageCreated
        | MessageStreamEventMessageStreamEventThreadMessageInProgress
        | MessageStreamEventMessageStreamEventThreadMessageDelta
        | MessageStreamEventMessageStreamEventThreadMessageCompleted
        | MessageStreamEventMessageStreamEventThreadMessageIncomplete
    ]
):
    root: MessageStreamEventMessageStreamEventThreadMessageCreated | MessageStreamEventMessageStreamEventThreadMessageInProgress | MessageStreamEventMessageStreamEventThreadMessageDelta | MessageStreamEventMessageStreamEventThreadMessageCompleted | MessageStreamEventMessageStreamEventThreadMessageIncomplete


class ResponseFormatJsonSchemaJsonSchema(WireModel):
    description: Annotated[
        str | None,
        Field(
            description='A description of what the response format is for, used by the model to\ndetermine how to respond in the format.\n'
        ),
    ] = None
    name: Annotated[
        str,
        Field(
            description='The name of the response format. Must be a-z, A-Z, 0-9, or contain\nunderscores and dashes, with a maximum length of 64.\n'
        ),
    ]
    schema_: Annotated[FunctionParameters | None, Field(alias='schema')] = None
    strict: bool | None = None


class ResponseFormatJsonSchema(WireModel):
    type: Annotated[
        Literal['json_schema'],
        Field(description='The type of response format being defined. Always `json_schema`.'),
    ]
    json_schema: Annotated[
        ResponseFormatJsonSchemaJsonSchema,
        Field(
            description='Structured Outputs configuration options, including a JSON Schema.\n',
            title='JSON schema',
        ),
    ]


class RunObjectRequiredActionSubmitToolOutputs(WireModel):
    tool_calls: Annotated[
        list[RunToolCallObject], Field(description='A list of the relevant tool calls.')
    ]


class RunObjectRequiredAction(WireModel):
    type: Annotated[
        Literal['submit_tool_outputs'],
        Field(description='For now, this is always `submit_tool_outputs`.'),
    ]
    submit_tool_outputs: Annotated[
        RunObjectRequiredActionSubmitToolOutputs,
        Field(description='Details on the tool outputs needed for this run to continue.'),
    ]


class RunStepDeltaStepDetailsToolCallsCodeObjectCodeInterpreter(WireModel):
    input: Annotated[
        str | None, Field(description='The input to the Code Interpreter tool call.')
    ] = None
    outputs: Annotated[
        list[RunStepDeltaStepDetailsToolCallsCodeOutputLogsObject | RunStepDeltaStepDetailsToolCallsCodeOutputImageObject] | None,
        Field(
            description='The outputs from the Code Interpreter tool call. Code Interpreter can output one or more items, including text (`logs`) or images (`image`). Each of these are represented by a different object type.'
        ),
    ] = None


class RunStepDeltaStepDetailsToolCallsCodeObject(WireModel):
    index: Annotated[int, Field(description='The index of the tool call in the tool calls array.')]
    id: Annotated[str | None, Field(description='The ID of the tool call.')] = None
    type: Annotated[
        Literal['code_interpreter'],
        Field(
            description='The type of tool call. This is always going to be `code_interpreter` for this type of tool call.'
        ),
    ]
    code_interpreter: Annotated[
        RunStepDeltaStepDetailsToolCallsCodeObjectCodeInterpreter | None,
        Field(description='The Code Interpreter tool call definition.'),
    ] = None


class RunStepDeltaStepDetailsToolCallsObject(WireModel):
    type: Annotated[Literal['tool_calls'], Field(description='Always `tool_calls`.')]
    tool_calls: Annotated[
        list[RunStepDeltaStepDetailsToolCallsCodeObject | RunStepDeltaStepDetailsToolCallsFileSearchObject | RunStepDeltaStepDetailsToolCallsFunctionObject] | None,
        Field(
            description='An array of tool calls the run step was involved in. These can be associated with one of three types of tools: `code_interpreter`, `file_search`, or `function`.\n'
        ),
    ] = None


class RunStepDetailsToolCallsCodeObjectCodeInterpreter(WireModel):
    input: Annotated[str, Field(description='The input to the Code Interpreter tool call.')]
    outputs: Annotated[
        list[RunStepDetailsToolCallsCodeOutputLogsObject | RunStepDetailsToolCallsCodeOutputImageObject],
        Field(
            description='The outputs from the Code Interpreter tool call. Code Interpreter can output one or more items, including text (`logs`) or images (`image`). Each of these are represented by a different object type.'
        ),
    ]


class RunStepDetailsToolCallsCodeObject(WireModel):
    id: Annotated[str, Field(description='The ID of the tool call.')]
    type: Annotated[
        Literal['code_interpreter'],
        Field(
            description='The type of tool call. This is always going to be `code_interpreter` for this type of tool call.'
        ),
    ]
    code_interpreter: Annotated[
        RunStepDetailsToolCallsCodeObjectCodeInterpreter,
        Field(description='The Code Interpreter tool call definition.'),
    ]


class RunStepDetailsToolCallsFileSearchObjectFileSearch(WireModel):
    ranking_options: RunStepDetailsToolCallsFileSearchRankingOptionsObject | None = None
    results: Annotated[
        list[RunStepDetailsToolCallsFileSearchResultObject] | None,
        Field(description='The results of the file search.'),
    ] = None


class RunStepDetailsToolCallsFileSearchObject(WireModel):
    id: Annotated[str, Field(description='The ID of the tool call object.')]
    type: Annotated[
        Literal['file_search'],
        Field(
            description='The type of tool call. This is always going to be `file_search` for this type of tool call.'
        ),
    ]
    file_search: Annotated[
        RunStepDetailsToolCallsFileSearchObjectFileSearch,
        Field(description='For now, this is always going to be an empty object.'),
    ]


class RunStepDetailsToolCallsObject(WireModel):
    type: Annotated[Literal['tool_calls'], Field(description='Always `tool_calls`.')]
    tool_calls: Annotated[
        list[RunStepDetailsToolCallsCodeObject | RunStepDetailsToolCallsFileSearchObject | RunStepDetailsToolCallsFunctionObject],
        Field(
            description='An array of tool calls the run step was involved in. These can be associated with one of three types of tools: `code_interpreter`, `file_search`, or `function`.\n'
        ),
    ]


class RunStepObject(WireModel):
    id: Annotated[
        str,
        Field(
            description='The identifier of the run step, which can be referenced in API endpoints.'
        ),
    ]
    object: Annotated[
        Literal['thread.run.step'],
        Field(description='The object type, which is always `thread.run.step`.'),
    ]
    created_at: Annotated[
        int, Field(description='The Unix timestamp (in seconds) for when the run step was created.')
    ]
    assistant_id: Annotated[
        str,
        Field(
            description='The ID of the [assistant](/docs/api-reference/assistants) associated with the run step.'
        ),
    ]
    thread_id: Annotated[
        str, Field(description='The ID of the [thread](/docs/api-reference/threads) that was run.')
    ]
    run_id: Annotated[
        str,
        Field(
            description='The ID of the [run](/docs/api-reference/runs) that this run step is a part of.'
        ),
    ]
    type: Annotated[
        Literal['message_creation', 'tool_calls'],
        Field(
            description='The type of run step, which can be either `message_creation` or `tool_calls`.'
        ),
    ]
    status: Annotated[
        Literal['in_progress', 'cancelled', 'failed', 'completed', 'expired'],
        Field(
            description='The status of the run step, which can be either `in_progress`, `cancelled`, `failed`, `completed`, or `expired`.'
        ),
    ]
    step_details: Annotated[
        RunStepDetailsMessageCreationObject | RunStepDetailsToolCallsObject,
        Field(description='The details of the run step.'),
    ]
    last_error: RunStepObjectLastError | None
    expired_at: int | None
    cancelled_at: int | None
    failed_at: int | None
    completed_at: int | None
    metadata: Metadata | None
    usage: RunStepCompletionUsage | None


class RunStepStreamEventRunStepStreamEventThreadRunStepCreated(WireModel):
    event: Literal['thread.run.step.created']
    data: RunStepObject


class RunStepStreamEventRunStepStreamEventThreadRunStepInProgress(WireModel):
    event: Literal['thread.run.step.in_progress']
    data: RunStepObject


class RunStepStreamEventRunStepStreamEventThreadRunStepCompleted(WireModel):
    event: Literal['thread.run.step.completed']
    data: RunStepObject


class RunStepStreamEventRunStepStreamEventThreadRunStepFailed(WireModel):
    event: Literal['thread.run.step.failed']
    data: RunStepObject


class RunStepStreamEventRunStepStreamEventThreadRunStepCancelled(WireModel):
    event: Literal['thread.run.step.cancelled']
    data: RunStepObject


class RunStepStreamEventRunStepStreamEventThreadRunStepExpired(WireModel):
    event: Literal['thread.run.step.expired']
    data: RunStepObject


class UpdateVectorStoreFileAttributesRequest(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    attributes: VectorStoreFileAttributes | None


class UpdateVectorStoreRequest(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    name: Annotated[str | None, Field(description='The name of the vector store.')] = None
    expires_after: VectorStoreExpirationAfter | None = None
    metadata: Metadata | None = None


class AssistantToolsFunction(WireModel):
    type: Annotated[
        Literal['function'], Field(description='The type of tool being defined: `function`')
    ]
    function: FunctionObject


class AssistantsApiResponseFormatOption(
    RootModel[
        Literal['auto']
        | ResponseFormatText
        | ResponseFormatJsonObject
        | ResponseFormatJsonSchema
    ]
):
    root: Annotated[
        Literal['auto'] | ResponseFormatText | ResponseFormatJsonObject | ResponseFormatJsonSchema,
        Field(
            description='Specifies the format that the model must output. Compatible with [GPT-4o](/docs/models#gpt-4o), [GPT-4 Turbo](/docs/models#gpt-4-turbo-and-gpt-4), and all GPT-3.5 Turbo models since `gpt-3.5-turbo-1106`.\n\nSetting to `{ "type": "json_schema", "json_schema": {...} }` enables Structured Outputs which ensures the model will match your supplied JSON schema. Learn more in the [Structured Outputs guide](/docs/guides/structured-outputs).\n\nSetting to `{ "type": "json_object" }` enables JSON mode, which ensures the message the model generates is valid JSON.\n\n**Important:** when using JSON mode, you **must** also instruct the model to produce JSON yourself via a system or user message. Without this, the model may generate an unending stream of whitespace until the generation reaches the token limit, resulting in a long-running and seemingly "stuck" request. Also note that the message content may be partially cut off if `finish_reason="length"`, which indicates the generation exceeded `max_tokens` or the conversation exceeded the max context length.\n'
        ),
    ]


class CreateAssistantRequest(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    model: Annotated[
        str | AssistantSupportedModels,
        Field(
            description='ID of the model to use. You can use the [List models](/docs/api-reference/models/list) API to see all of your available models, or see our [Model overview](/docs/models) for descriptions of them.\n',
            examples=['gpt-4o'],
        ),
    ]
    name: AssistantObjectName | None = None
    description: AssistantObjectDescription | None = None
    instructions: AssistantObjectInstructions | None = None
    reasoning_effort: ReasoningEffort | None = None
    tools: Annotated[
        list[AssistantToolsCode | AssistantToolsFileSearch | AssistantToolsFunction],
        Field(
            description='A list of tool enabled on the assistant. There can be a maximum of 128 tools per assistant. Tools can be of types `code_interpreter`, `file_search`, or `function`.\n',
            max_length=128,
            validate_default=True,
        ),
    ] = []
    tool_resources: CreateAssistantRequestToolResources | None = None
    metadata: Metadata | None = None
    temperature: AssistantObjectTemperature | None = None
    top_p: AssistantObjectTopP | None = None
    response_format: AssistantsApiResponseFormatOption | None = None


class CreateRunRequest(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    assistant_id: Annotated[
        str,
        Field(
            description='The ID of the [assistant](/docs/api-reference/assistants) to use to execute this run.'
        ),
    ]
    model: Annotated[
        str | AssistantSupportedModels | None,
        Field(
            description='The ID of the [Model](/docs/api-reference/models) to be used to execute this run. If a value is provided here, it will override the model associated with the assistant. If not, the model associated with the assistant will be used.',
            examples=['gpt-4o'],
        ),
    ] = None
    reasoning_effort: ReasoningEffort | None = None
    instructions: Annotated[
        str | None,
        Field(
            description='Overrides the [instructions](/docs/api-reference/assistants/createAssistant) of the assistant. This is useful for modifying the behavior on a per-run basis.'
        ),
    ] = None
    additional_instructions: Annotated[
        str | None,
        Field(
            description='Appends additional instructions at the end of the instructions for the run. This is useful for modifying the behavior on a per-run basis without overriding other instructions.'
        ),
    ] = None
    additional_messages: Annotated[
        list[CreateMessageRequest] | None,
        Field(description='Adds additional messages to the thread before creating the run.'),
    ] = None
    tools: Annotated[
        list[AssistantToolsCode | AssistantToolsFileSearch | AssistantToolsFunction] | None,
        Field(
            description='Override the tools the assistant can use for this run. This is useful for modifying the behavior on a per-run basis.',
            max_length=20,
        ),
    ] = None
    metadata: Metadata | None = None
    temperature: Annotated[
        float | None,
        Field(
            description='What sampling temperature to use, between 0 and 2. Higher values like 0.8 will make the output more random, while lower values like 0.2 will make it more focused and deterministic.\n',
            examples=[1],
            ge=0.0,
            le=2.0,
        ),
    ] = 1
    top_p: Annotated[
        float | None,
        Field(
            description='An alternative to sampling with temperature, called nucleus sampling, where the model considers the results of the tokens with top_p probability mass. So 0.1 means only the tokens comprising the top 10% probability mass are considered.\n\nWe generally recommend altering this or temperature but not both.\n',
            examples=[1],
            ge=0.0,
            le=1.0,
        ),
    ] = 1
    stream: Annotated[
        bool | None,
        Field(
            description='If `true`, returns a stream of events that happen during the Run as server-sent events, terminating when the Run enters a terminal state with a `data: [DONE]` message.\n'
        ),
    ] = None
    max_prompt_tokens: Annotated[
        int | None,
        Field(
            description='The maximum number of prompt tokens that may be used over the course of the run. The run will make a best effort to use only the number of prompt tokens specified, across multiple turns of the run. If the run exceeds the number of prompt tokens specified, the run will end with status `incomplete`. See `incomplete_details` for more info.\n',
            ge=256,
        ),
    ] = None
    max_completion_tokens: Annotated[
        int | None,
        Field(
            description='The maximum number of completion tokens that may be used over the course of the run. The run will make a best effort to use only the number of completion tokens specified, across multiple turns of the run. If the run exceeds the number of completion tokens specified, the run will end with status `incomplete`. See `incomplete_details` for more info.\n',
            ge=256,
        ),
    ] = None
    truncation_strategy: TruncationObject | None = None
    tool_choice: AssistantsApiToolChoiceOption | None = None
    parallel_tool_calls: Annotated[ParallelToolCalls | None, Field(validate_default=True)] = True
    response_format: AssistantsApiResponseFormatOption | None = None


class CreateThreadAndRunRequest(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    assistant_id: Annotated[
        str,
        Field(
            description='The ID of the [assistant](/docs/api-reference/assistants) to use to execute this run.'
        ),
    ]
    thread: CreateThreadRequest | None = None
    model: Annotated[
        str | Literal['gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'gpt-5-2025-08-07', 'gpt-5-mini-2025-08-07', 'gpt-5-nano-2025-08-07', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4.1-2025-04-14', 'gpt-4.1-mini-2025-04-14', 'gpt-4.1-nano-2025-04-14', 'gpt-4o', 'gpt-4o-2024-11-20', 'gpt-4o-2024-08-06', 'gpt-4o-2024-05-13', 'gpt-4o-mini', 'gpt-4o-mini-2024-07-18', 'gpt-4.5-preview', 'gpt-4.5-preview-2025-02-27', 'gpt-4-turbo', 'gpt-4-turbo-2024-04-09', 'gpt-4-0125-preview', 'gpt-4-turbo-preview', 'gpt-4-1106-preview', 'gpt-4-vision-preview', 'gpt-4', 'gpt-4-0314', 'gpt-4-0613', 'gpt-4-32k', 'gpt-4-32k-0314', 'gpt-4-32k-0613', 'gpt-3.5-turbo', 'gpt-3.5-turbo-16k', 'gpt-3.5-turbo-0613', 'gpt-3.5-turbo-1106', 'gpt-3.5-turbo-0125', 'gpt-3.5-turbo-16k-0613'] | None,
        Field(
            description='The ID of the [Model](/docs/api-reference/models) to be used to execute this run. If a value is provided here, it will override the model associated with the assistant. If not, the model associated with the assistant will be used.',
            examples=['gpt-4o'],
        ),
    ] = None
    instructions: Annotated[
        str | None,
        Field(
            description='Override the default system message of the assistant. This is useful for modifying the behavior on a per-run basis.'
        ),
    ] = None
    tools: Annotated[
        list[AssistantToolsCode | AssistantToolsFileSearch | AssistantToolsFunction] | None,
        Field(
            description='Override the tools the assistant can use for this run. This is useful for modifying the behavior on a per-run basis.',
            max_length=20,
        ),
    ] = None
    tool_resources: Annotated[
        CreateThreadAndRunRequestToolResources | None,
        Field(
            description="A set of resources that are used by the assistant's tools. The resources are specific to the type of tool. For example, the `code_interpreter` tool requires a list of file IDs, while the `file_search` tool requires a list of vector store IDs.\n"
        ),
    ] = None
    metadata: Metadata | None = None
    temperature: Annotated[
        float | None,
        Field(
            description='What sampling temperature to use, between 0 and 2. Higher values like 0.8 will make the output more random, while lower values like 0.2 will make it more focused and deterministic.\n',
            examples=[1],
            ge=0.0,
            le=2.0,
        ),
    ] = 1
    top_p: Annotated[
        float | None,
        Field(
            description='An alternative to sampling with temperature, called nucleus sampling, where the model considers the results of the tokens with top_p probability mass. So 0.1 means only the tokens comprising the top 10% probability mass are considered.\n\nWe generally recommend altering this or temperature but not both.\n',
            examples=[1],
            ge=0.0,
            le=1.0,
        ),
    ] = 1
    stream: Annotated[
        bool | None,
        Field(
            description='If `true`, returns a stream of events that happen during the Run as server-sent events, terminating when the Run enters a terminal state with a `data: [DONE]` message.\n'
        ),
    ] = None
    max_prompt_tokens: Annotated[
        int | None,
        Field(
            description='The maximum number of prompt tokens that may be used over the course of the run. The run will make a best effort to use only the number of prompt tokens specified, across multiple turns of the run. If the run exceeds the number of prompt tokens specified, the run will end with status `incomplete`. See `incomplete_details` for more info.\n',
            ge=256,
        ),
    ] = None
    max_completion_tokens: Annotated[
        int | None,
        Field(
            description='The maximum number of completion tokens that may be used over the course of the run. The run will make a best effort to use only the number of completion tokens specified, across multiple turns of the run. If the run exceeds the number of completion tokens specified, the run will end with status `incomplete`. See `incomplete_details` for more info.\n',
            ge=256,
        ),
    ] = None
    truncation_strategy: TruncationObject | None = None
    tool_choice: AssistantsApiToolChoiceOption | None = None
    parallel_tool_calls: Annotated[ParallelToolCalls | None, Field(validate_default=True)] = True
    response_format: AssistantsApiResponseFormatOption | None = None


class CreateVectorStoreFileBatchRequestCreateVectorStoreFileBatchRequest(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    file_ids: Annotated[
        list[str],
        Field(
            description='A list of [File](/docs/api-reference/files) IDs that the vector store should use. Useful for tools like `file_search` that can access files.  If `attributes` or `chunking_strategy` are provided, they will be  applied to all files in the batch. The maximum batch size is 2000 files. This endpoint is recommended for multi-file ingestion and helps reduce per-vector-store write request pressure. Mutually exclusive with `files`.',
            max_length=2000,
            min_length=1,
        ),
    ]
    files: Annotated[
        list[CreateVectorStoreFileRequest] | None,
        Field(
            description='A list of objects that each include a `file_id` plus optional `attributes` or `chunking_strategy`. Use this when you need to override metadata for specific files. The global `attributes` or `chunking_strategy` will be ignored and must be specified for each file. The maximum batch size is 2000 files. This endpoint is recommended for multi-file ingestion and helps reduce per-vector-store write request pressure. Mutually exclusive with `file_ids`.',
            max_length=2000,
            min_length=1,
        ),
    ] = None
    chunking_strategy: ChunkingStrategyRequestParam | None = None
    attributes: VectorStoreFileAttributes | None = None


class CreateVectorStoreFileBatchRequestCreateVectorStoreFileBatchRequest1(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    file_ids: Annotated[
        list[str] | None,
        Field(
            description='A list of [File](/docs/api-reference/files) IDs that the vector store should use. Useful for tools like `file_search` that can access files.  If `attributes` or `chunking_strategy` are provided, they will be  applied to all files in the batch. The maximum batch size is 2000 files. This endpoint is recommended for multi-file ingestion and helps reduce per-vector-store write request pressure. Mutually exclusive with `files`.',
            max_length=2000,
            min_length=1,
        ),
    ] = None
    files: Annotated[
        list[CreateVectorStoreFileRequest],
        Field(
            description='A list of objects that each include a `file_id` plus optional `attributes` or `chunking_strategy`. Use this when you need to override metadata for specific files. The global `attributes` or `chunking_strategy` will be ignored and must be specified for each file. The maximum batch size is 2000 files. This endpoint is recommended for multi-file ingestion and helps reduce per-vector-store write request pressure. Mutually exclusive with `file_ids`.',
            max_length=2000,
            min_length=1,
        ),
    ]
    chunking_strategy: ChunkingStrategyRequestParam | None = None
    attributes: VectorStoreFileAttributes | None = None


class CreateVectorStoreFileBatchRequest(
    RootModel[
        CreateVectorStoreFileBatchRequestCreateVectorStoreFileBatchRequest
        | CreateVectorStoreFileBatchRequestCreateVectorStoreFileBatchRequest1
    ]
):
    root: CreateVectorStoreFileBatchRequestCreateVectorStoreFileBatchRequest | CreateVectorStoreFileBatchRequestCreateVectorStoreFileBatchRequest1


class ListMessagesResponse(WireModel):
    object: Annotated[str, Field(examples=['list'])]
    data: list[MessageObject]
    first_id: Annotated[str, Field(examples=['msg_abc123'])]
    last_id: Annotated[str, Field(examples=['msg_abc123'])]
    has_more: Annotated[bool, Field(examples=[False])]


class ListRunStepsResponse(WireModel):
    object: Annotated[str, Field(examples=['list'])]
    data: list[RunStepObject]
    first_id: Annotated[str, Field(examples=['step_abc123'])]
    last_id: Annotated[str, Field(examples=['step_abc456'])]
    has_more: Annotated[bool, Field(examples=[False])]


class ModifyAssistantRequest(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    model: Annotated[
        str | AssistantSupportedModels | None,
        Field(
            description='ID of the model to use. You can use the [List models](/docs/api-reference/models/list) API to see all of your available models, or see our [Model overview](/docs/models) for descriptions of them.\n'
        ),
    ] = None
    reasoning_effort: ReasoningEffort | None = None
    name: AssistantObjectName | None = None
    description: AssistantObjectDescription | None = None
    instructions: AssistantObjectInstructions | None = None
    tools: Annotated[
        list[AssistantToolsCode | AssistantToolsFileSearch | AssistantToolsFunction],
        Field(
            description='A list of tool enabled on the assistant. There can be a maximum of 128 tools per assistant. Tools can be of types `code_interpreter`, `file_search`, or `function`.\n',
            max_length=128,
            validate_default=True,
        ),
    ] = []
    tool_resources: ModifyAssistantRequestToolResources | None = None
    metadata: Metadata | None = None
    temperature: AssistantObjectTemperature | None = None
    top_p: AssistantObjectTopP | None = None
    response_format: AssistantsApiResponseFormatOption | None = None


class RunObject(WireModel):
    id: Annotated[
        str, Field(description='The identifier, which can be referenced in API endpoints.')
    ]
    object: Annotated[
        Literal['thread.run'], Field(description='The object type, which is always `thread.run`.')
    ]
    created_at: Annotated[
        int, Field(description='The Unix timestamp (in seconds) for when the run was created.')
    ]
    thread_id: Annotated[
        str,
        Field(
            description='The ID of the [thread](/docs/api-reference/threads) that was executed on as a part of this run.'
        ),
    ]
    assistant_id: Annotated[
        str,
        Field(
            description='The ID of the [assistant](/docs/api-reference/assistants) used for execution of this run.'
        ),
    ]
    status: Annotated[
        Literal['queued', 'in_progress', 'requires_action', 'cancelling', 'cancelled', 'failed', 'completed', 'incomplete', 'expired'],
        Field(
            description='The status of the run, which can be either `queued`, `in_progress`, `requires_action`, `cancelling`, `cancelled`, `failed`, `completed`, `incomplete`, or `expired`.'
        ),
    ]
    required_action: Annotated[
        RunObjectRequiredAction | None,
        Field(
            description='Details on the action required to continue the run. Will be `null` if no action is required.'
        ),
    ]
    last_error: Annotated[
        RunObjectLastError | None,
        Field(
            description='The last error associated with this run. Will be `null` if there are no errors.'
        ),
    ]
    expires_at: Annotated[
        int | None,
        Field(description='The Unix timestamp (in seconds) for when the run will expire.'),
    ]
    started_at: Annotated[
        int | None,
        Field(description='The Unix timestamp (in seconds) for when the run was started.'),
    ]
    cancelled_at: Annotated[
        int | None,
        Field(description='The Unix timestamp (in seconds) for when the run was cancelled.'),
    ]
    failed_at: Annotated[
        int | None, Field(description='The Unix timestamp (in seconds) for when the run failed.')
    ]
    completed_at: Annotated[
        int | None,
        Field(description='The Unix timestamp (in seconds) for when the run was completed.'),
    ]
    incomplete_details: Annotated[
        RunObjectIncompleteDetails | None,
        Field(
            description='Details on why the run is incomplete. Will be `null` if the run is not incomplete.'
        ),
    ]
    model: Annotated[
        str,
        Field(
            description='The model that the [assistant](/docs/api-reference/assistants) used for this run.'
        ),
    ]
    instructions: Annotated[
        str,
        Field(
            description='The instructions that the [assistant](/docs/api-reference/assistants) used for this run.'
        ),
    ]
    tools: Annotated[
        list[AssistantToolsCode | AssistantToolsFileSearch | AssistantToolsFunction],
        Field(
            description='The list of tools that the [assistant](/docs/api-reference/assistants) used for this run.',
            max_length=20,
        ),
    ]
    metadata: Metadata | None
    usage: RunCompletionUsage | None
    temperature: Annotated[
        float | None,
        Field(description='The sampling temperature used for this run. If not set, defaults to 1.'),
    ] = None
    top_p: Annotated[
        float | None,
        Field(
            description='The nucleus sampling value used for this run. If not set, defaults to 1.'
        ),
    ] = None
    max_prompt_tokens: Annotated[
        int | None,
        Field(
            description='The maximum number of prompt tokens specified to have been used over the course of the run.\n',
            ge=256,
        ),
    ]
    max_completion_tokens: Annotated[
        int | None,
        Field(
            description='The maximum number of completion tokens specified to have been used over the course of the run.\n',
            ge=256,
        ),
    ]
    truncation_strategy: TruncationObject | None
    tool_choice: AssistantsApiToolChoiceOption | None
    parallel_tool_calls: ParallelToolCalls
    response_format: AssistantsApiResponseFormatOption | None


class RunStepDeltaObjectDelta(WireModel):
    step_details: Annotated[
        RunStepDeltaStepDetailsMessageCreationObject | RunStepDeltaStepDetailsToolCallsObject | None,
        Field(description='The details of the run step.'),
    ] = None


class RunStepDeltaObject(WireModel):
    id: Annotated[
        str,
        Field(
            description='The identifier of the run step, which can be referenced in API endpoints.'
        ),
    ]
    object: Annotated[
        Literal['thread.run.step.delta'],
        Field(description='The object type, which is always `thread.run.step.delta`.'),
    ]
    delta: Annotated[
        RunStepDeltaObjectDelta,
        Field(description='The delta containing the fields that have changed on the run step.'),
    ]


class RunStepStreamEventRunStepStreamEventThreadRunStepDelta(WireModel):
    event: Literal['thread.run.step.delta']
    data: RunStepDeltaObject


class RunStepStreamEvent(
    RootModel[
        RunStepStreamEventRunStepStreamEventThreadRunStepCreated
        | RunStepStreamEventRunStepStreamEventThreadRunStepInProgress
        | RunStepStreamEventRunStepStreamEventThreadRunStepDelta
        | RunStepStreamEventRunStepStreamEventThreadRunStepCompleted
        | RunStepStreamEventRunStepStreamEventThreadRunStepFailed
        | RunStepStreamEventRunStepStreamEventThreadRunStepCancelled
        | RunStepStreamEventRunStepStreamEventThreadRunStepExpired
    ]
):
    root: RunStepStreamEventRunStepStreamEventThreadRunStepCreated | RunStepStreamEventRunStepStreamEventThreadRunStepInProgress | RunStepStreamEventRunStepStreamEventThreadRunStepDelta | RunStepStreamEventRunStepStreamEventThreadRunStepCompleted | RunStepStreamEventRunStepStreamEventThreadRunStepFailed | RunStepStreamEventRunStepStreamEventThreadRunStepCancelled | RunStepStreamEventRunStepStreamEventThreadRunStepExpired


class RunStreamEventRunStreamEventThreadRunCreated(WireModel):
    event: Literal['thread.run.created']
    data: RunObject


class RunStreamEventRunStreamEventThreadRunQueued(WireModel):
    event: Literal['thread.run.queued']
    data: RunObject


class RunStreamEventRunStreamEventThreadRunInProgress(WireModel):
    event: Literal['thread.run.in_progress']
    data: RunObject


class RunStreamEventRunStreamEventThreadRunRequiresAction(WireModel):
    event: Literal['thread.run.requires_action']
    data: RunObject


class RunStreamEventRunStreamEventThreadRunCompleted(WireModel):
    event: Literal['thread.run.completed']
    data: RunObject


class RunStreamEventRunStreamEventThreadRunIncomplete(WireModel):
    event: Literal['thread.run.incomplete']
    data: RunObject


class RunStreamEventRunStreamEventThreadRunFailed(WireModel):
    event: Literal['thread.run.failed']
    data: RunObject


class RunStreamEventRunStreamEventThreadRunCancelling(WireModel):
    event: Literal['thread.run.cancelling']
    data: RunObject


class RunStreamEventRunStreamEventThreadRunCancelled(WireModel):
    event: Literal['thread.run.cancelled']
    data: RunObject


class RunStreamEventRunStreamEventThreadRunExpired(WireModel):
    event: Literal['thread.run.expired']
    data: RunObject


class RunStreamEvent(
    RootModel[
        RunStreamEventRunStreamEventThreadRunCreated
        | RunStreamEventRunStreamEventThreadRunQueued
        | RunStreamEventRunStreamEventThreadRunInProgress
        | RunStreamEventRunStreamEventThreadRunRequiresAction
        | RunStreamEventRunStreamEventThreadRunCompleted
        | RunStreamEventRunStreamEventThreadRunIncomplete
        | RunStreamEventRunStreamEventThreadRunFailed
        | RunStreamEventRunStreamEventThreadRunCancelling
        | RunStreamEventRunStreamEventThreadRunCancelled
        | RunStreamEventRunStreamEventThreadRunExpired
    ]
):
    root: RunStreamEventRunStreamEventThreadRunCreated | RunStreamEventRunStreamEventThreadRunQueued | RunStreamEventRunStreamEventThreadRunInProgress | RunStreamEventRunStreamEventThreadRunRequiresAction | RunStreamEventRunStreamEventThreadRunCompleted | RunStreamEventRunStreamEventThreadRunIncomplete | RunStreamEventRunStreamEventThreadRunFailed | RunStreamEventRunStreamEventThreadRunCancelling | RunStreamEventRunStreamEventThreadRunCancelled | RunStreamEventRunStreamEventThreadRunExpired


class AssistantObject(WireModel):
    id: Annotated[
        str, Field(description='The identifier, which can be referenced in API endpoints.')
    ]
    object: Annotated[
        Literal['assistant'], Field(description='The object type, which is always `assistant`.')
    ]
    created_at: Annotated[
        int,
        Field(description='The Unix timestamp (in seconds) for when the assistant was created.'),
    ]
    name: AssistantObjectName | None
    description: AssistantObjectDescription | None
    model: Annotated[
        str,
        Field(
            description='ID of the model to use. You can use the [List models](/docs/api-reference/models/list) API to see all of your available models, or see our [Model overview](/docs/models) for descriptions of them.\n'
        ),
    ]
    instructions: AssistantObjectInstructions | None
    tools: Annotated[
        list[AssistantToolsCode | AssistantToolsFileSearch | AssistantToolsFunction],
        Field(
            description='A list of tool enabled on the assistant. There can be a maximum of 128 tools per assistant. Tools can be of types `code_interpreter`, `file_search`, or `function`.\n',
            max_length=128,
        ),
    ]
    tool_resources: AssistantObjectToolResources | None = None
    metadata: Metadata | None
    temperature: AssistantObjectTemperature | None = None
    top_p: AssistantObjectTopP | None = None
    response_format: AssistantsApiResponseFormatOption | None = None


class AssistantStreamEvent(
    RootModel[
        ThreadStreamEvent
        | RunStreamEvent
        | RunStepStreamEvent
        | MessageStreamEvent
        | ErrorEvent
        | DoneEvent
    ]
):
    root: Annotated[
        ThreadStreamEvent | RunStreamEvent | RunStepStreamEvent | MessageStreamEvent | ErrorEvent | DoneEvent,
        Field(
            description='Represents an event emitted when streaming a Run.\n\nEach event in a server-sent events stream has an `event` and `data` property:\n\n```\nevent: thread.created\ndata: {"id": "thread_123", "object": "thread", ...}\n```\n\nWe emit events whenever a new object is created, transitions to a new state, or is being\nstreamed in parts (deltas). For example, we emit `thread.run.created` when a new run\nis created, `thread.run.completed` when a run completes, and so on. When an Assistant chooses\nto create a message during a run, we emit a `thread.message.created event`, a\n`thread.message.in_progress` event, many `thread.message.delta` events, and finally a\n`thread.message.completed` event.\n\nWe may add additional events over time, so we recommend handling unknown events gracefully\nin your code. See the [Assistants API quickstart](/docs/assistants/overview) to learn how to\nintegrate the Assistants API with streaming.\n'
        ),
    ]


class ListAssistantsResponse(WireModel):
    object: Annotated[str, Field(examples=['list'])]
    data: list[AssistantObject]
    first_id: Annotated[str, Field(examples=['asst_abc123'])]
    last_id: Annotated[str, Field(examples=['asst_abc456'])]
    has_more: Annotated[bool, Field(examples=[False])]


class ListRunsResponse(WireModel):
    object: Annotated[str, Field(examples=['list'])]
    data: list[RunObject]
    first_id: Annotated[str, Field(examples=['run_abc123'])]
    last_id: Annotated[str, Field(examples=['run_abc456'])]
    has_more: Annotated[bool, Field(examples=[False])]


class CompoundFilter(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    type: Annotated[
        Literal['CompoundFilter'], Field(description='Type of operation: `and` or `or`.')
    ]
    filters: Annotated[
        list[CompoundFilterFilters],
        Field(
            description='Array of filters to combine. Items can be `ComparisonFilter` or `CompoundFilter`.'
        ),
    ]


class VectorStoreSearchRequest(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    query: Annotated[
        str | list[VectorStoreSearchRequestQueryItem],
        Field(description='A query string for a search'),
    ]
    rewrite_query: Annotated[
        bool, Field(description='Whether to rewrite the natural language query for vector search.')
    ] = False
    max_num_results: Annotated[
        int,
        Field(
            description='The maximum number of results to return. This number should be between 1 and 50 inclusive.',
            ge=1,
            le=50,
        ),
    ] = 10
    filters: Annotated[
        ComparisonFilter | CompoundFilter | None,
        Field(description='A filter to apply based on file attributes.'),
    ] = None
    ranking_options: Annotated[
        VectorStoreSearchRequestRankingOptions | None,
        Field(description='Ranking options for search.'),
    ] = None


class CompoundFilterFilters(RootModel[ComparisonFilter | CompoundFilter]):
    root: Annotated[ComparisonFilter | CompoundFilter, Field(discriminator='type')]


CompoundFilter.model_rebuild()
