# GENERATED from spec/assistants-v1.openapi.yaml by scripts/generate-schemas. Do not edit.

from __future__ import annotations

from typing import Annotated, Any, Literal

from assistants_server.schemas._base import WireModel
from pydantic import ConfigDict, Field, RootModel


class Error(WireModel):
    code: Annotated[str | None, Field(...)]
    message: str
    param: Annotated[str | None, Field(...)]
    type: str


class FunctionParameters(WireModel):
    model_config = ConfigDict(
        extra='allow',
    )


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


class CreateFileRequest(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    file: Annotated[bytes, Field(description='The File object (not file name) to be uploaded.\n')]
    purpose: Annotated[
        Literal['fine-tune', 'assistants'],
        Field(
            description='The intended purpose of the uploaded file.\n\nUse "fine-tune" for [Fine-tuning](/docs/api-reference/fine-tuning) and "assistants" for [Assistants](/docs/api-reference/assistants) and [Messages](/docs/api-reference/messages). This allows us to validate the format of the uploaded file is correct for fine-tuning.\n'
        ),
    ]


class DeleteFileResponse(WireModel):
    id: str
    object: Literal['file']
    deleted: bool


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


class OpenAIFile(WireModel):
    id: Annotated[
        str, Field(description='The file identifier, which can be referenced in the API endpoints.')
    ]
    bytes: Annotated[int, Field(description='The size of the file, in bytes.')]
    created_at: Annotated[
        int, Field(description='The Unix timestamp (in seconds) for when the file was created.')
    ]
    filename: Annotated[str, Field(description='The name of the file.')]
    object: Annotated[
        Literal['file'], Field(description='The object type, which is always `file`.')
    ]
    purpose: Annotated[
        Literal['fine-tune', 'fine-tune-results', 'assistants', 'assistants_output'],
        Field(
            description='The intended purpose of the file. Supported values are `fine-tune`, `fine-tune-results`, `assistants`, and `assistants_output`.'
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


class RunCompletionUsage(WireModel):
    completion_tokens: Annotated[
        int, Field(description='Number of completion tokens used over the course of the run.')
    ]
    prompt_tokens: Annotated[
        int, Field(description='Number of prompt tokens used over the course of the run.')
    ]
    total_tokens: Annotated[
        int, Field(description='Total number of tokens used (prompt + completion).')
    ]


class RunStepCompletionUsage(WireModel):
    completion_tokens: Annotated[
        int, Field(description='Number of completion tokens used over the course of the run step.')
    ]
    prompt_tokens: Annotated[
        int, Field(description='Number of prompt tokens used over the course of the run step.')
    ]
    total_tokens: Annotated[
        int, Field(description='Total number of tokens used (prompt + completion).')
    ]


class AssistantsApiResponseFormat(WireModel):
    type: Annotated[
        Literal['text', 'json_object'],
        Field(description='Must be one of `text` or `json_object`.', examples=['json_object']),
    ] = 'text'


class DeleteAssistantResponse(WireModel):
    id: str
    deleted: bool
    object: Literal['assistant.deleted']


class AssistantToolsCode(WireModel):
    type: Annotated[
        Literal['code_interpreter'],
        Field(description='The type of tool being defined: `code_interpreter`'),
    ]


class AssistantToolsRetrieval(WireModel):
    type: Annotated[
        Literal['retrieval'], Field(description='The type of tool being defined: `retrieval`')
    ]


class AssistantToolsFunction(WireModel):
    type: Annotated[
        Literal['function'], Field(description='The type of tool being defined: `function`')
    ]
    function: FunctionObject


class TruncationObject(WireModel):
    type: Annotated[
        Literal['auto', 'last_messages'],
        Field(
            description='The truncation strategy to use for the thread. The default is `auto`. If set to `last_messages`, the thread will be truncated to the n most recent messages in the thread. When set to `auto`, messages in the middle of the thread will be dropped to fit the context length of the model, `max_prompt_tokens`.'
        ),
    ]
    last_messages: Annotated[
        int | None,
        Field(
            description='The number of most recent messages from the thread when constructing the context for the run.',
            ge=1,
        ),
    ] = None


class AssistantsApiNamedToolChoiceFunction(WireModel):
    name: Annotated[str, Field(description='The name of the function to call.')]


class AssistantsApiNamedToolChoice(WireModel):
    type: Annotated[
        Literal['function', 'code_interpreter', 'retrieval'],
        Field(
            description='The type of the tool. If type is `function`, the function name must be set'
        ),
    ]
    function: AssistantsApiNamedToolChoiceFunction | None = None


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


class ModifyRunRequest(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    metadata: Annotated[
        dict[str, Any] | None,
        Field(
            description='Set of 16 key-value pairs that can be attached to an object. This can be useful for storing additional information about the object in a structured format. Keys can be a maximum of 64 characters long and values can be a maxium of 512 characters long.\n'
        ),
    ] = None


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
    stream: Annotated[
        bool | None,
        Field(
            description='If `true`, returns a stream of events that happen during the Run as server-sent events, terminating when the Run enters a terminal state with a `data: [DONE]` message.\n'
        ),
    ] = None


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
    metadata: Annotated[
        dict[str, Any] | None,
        Field(
            description='Set of 16 key-value pairs that can be attached to an object. This can be useful for storing additional information about the object in a structured format. Keys can be a maximum of 64 characters long and values can be a maxium of 512 characters long.\n'
        ),
    ]


class DeleteThreadResponse(WireModel):
    id: str
    deleted: bool
    object: Literal['thread.deleted']


class MessageObjectIncompleteDetails(WireModel):
    reason: Annotated[
        Literal['content_filter', 'max_tokens', 'run_cancelled', 'run_expired', 'run_failed'],
        Field(description='The reason the message is incomplete.'),
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
    content: Annotated[
        str, Field(description='The content of the message.', max_length=256000, min_length=1)
    ]
    file_ids: Annotated[
        list[str],
        Field(
            description='A list of [File](/docs/api-reference/files) IDs that the message should use. There can be a maximum of 10 files attached to a message. Useful for tools like `retrieval` and `code_interpreter` that can access and use files.',
            max_length=10,
        ),
    ] = []
    metadata: Annotated[
        dict[str, Any] | None,
        Field(
            description='Set of 16 key-value pairs that can be attached to an object. This can be useful for storing additional information about the object in a structured format. Keys can be a maximum of 64 characters long and values can be a maxium of 512 characters long.\n'
        ),
    ] = None


class MessageContentImageFileObjectImageFile(WireModel):
    file_id: Annotated[
        str,
        Field(
            description='The [File](/docs/api-reference/files) ID of the image in the message content.'
        ),
    ]


class MessageContentImageFileObject(WireModel):
    type: Annotated[Literal['image_file'], Field(description='Always `image_file`.')]
    image_file: MessageContentImageFileObjectImageFile


class MessageDeltaContentImageFileObjectImageFile(WireModel):
    file_id: Annotated[
        str | None,
        Field(
            description='The [File](/docs/api-reference/files) ID of the image in the message content.'
        ),
    ] = None


class MessageDeltaContentImageFileObject(WireModel):
    index: Annotated[int, Field(description='The index of the content part in the message.')]
    type: Annotated[Literal['image_file'], Field(description='Always `image_file`.')]
    image_file: MessageDeltaContentImageFileObjectImageFile | None = None


class MessageContentTextAnnotationsFileCitationObjectFileCitation(WireModel):
    file_id: Annotated[str, Field(description='The ID of the specific File the citation is from.')]
    quote: Annotated[str, Field(description='The specific quote in the file.')]


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


class RunStepObjectLastError(WireModel):
    code: Annotated[
        Literal['server_error', 'rate_limit_exceeded'],
        Field(description='One of `server_error` or `rate_limit_exceeded`.'),
    ]
    message: Annotated[str, Field(description='A human-readable description of the error.')]


class RunStepDetailsMessageCreationObjectMessageCreation(WireModel):
    message_id: Annotated[
        str, Field(description='The ID of the message that was created by this run step.')
    ]


class RunStepDetailsMessageCreationObject(WireModel):
    type: Annotated[Literal['message_creation'], Field(description='Always `message_creation`.')]
    message_creation: RunStepDetailsMessageCreationObjectMessageCreation


class RunStepDeltaStepDetailsMessageCreationObjectMessageCreation(WireModel):
    message_id: Annotated[
        str | None, Field(description='The ID of the message that was created by this run step.')
    ] = None


class RunStepDeltaStepDetailsMessageCreationObject(WireModel):
    type: Annotated[Literal['message_creation'], Field(description='Always `message_creation`.')]
    message_creation: RunStepDeltaStepDetailsMessageCreationObjectMessageCreation | None = None


class RunStepDetailsToolCallsCodeOutputLogsObject(WireModel):
    type: Annotated[Literal['logs'], Field(description='Always `logs`.')]
    logs: Annotated[str, Field(description='The text output from the Code Interpreter tool call.')]


class RunStepDeltaStepDetailsToolCallsCodeOutputLogsObject(WireModel):
    index: Annotated[int, Field(description='The index of the output in the outputs array.')]
    type: Annotated[Literal['logs'], Field(description='Always `logs`.')]
    logs: Annotated[
        str | None, Field(description='The text output from the Code Interpreter tool call.')
    ] = None


class RunStepDetailsToolCallsCodeOutputImageObjectImage(WireModel):
    file_id: Annotated[
        str, Field(description='The [file](/docs/api-reference/files) ID of the image.')
    ]


class RunStepDetailsToolCallsCodeOutputImageObject(WireModel):
    type: Annotated[Literal['image'], Field(description='Always `image`.')]
    image: RunStepDetailsToolCallsCodeOutputImageObjectImage


class RunStepDeltaStepDetailsToolCallsCodeOutputImageObjectImage(WireModel):
    file_id: Annotated[
        str | None, Field(description='The [file](/docs/api-reference/files) ID of the image.')
    ] = None


class RunStepDeltaStepDetailsToolCallsCodeOutputImageObject(WireModel):
    index: Annotated[int, Field(description='The index of the output in the outputs array.')]
    type: Annotated[Literal['image'], Field(description='Always `image`.')]
    image: RunStepDeltaStepDetailsToolCallsCodeOutputImageObjectImage | None = None


class RunStepDetailsToolCallsRetrievalObject(WireModel):
    id: Annotated[str, Field(description='The ID of the tool call object.')]
    type: Annotated[
        Literal['retrieval'],
        Field(
            description='The type of tool call. This is always going to be `retrieval` for this type of tool call.'
        ),
    ]
    retrieval: Annotated[
        dict[str, Any], Field(description='For now, this is always going to be an empty object.')
    ]


class RunStepDeltaStepDetailsToolCallsRetrievalObject(WireModel):
    index: Annotated[int, Field(description='The index of the tool call in the tool calls array.')]
    id: Annotated[str | None, Field(description='The ID of the tool call object.')] = None
    type: Annotated[
        Literal['retrieval'],
        Field(
            description='The type of tool call. This is always going to be `retrieval` for this type of tool call.'
        ),
    ]
    retrieval: Annotated[
        dict[str, Any] | None,
        Field(description='For now, this is always going to be an empty object.'),
    ] = None


class RunStepDetailsToolCallsFunctionObjectFunction(WireModel):
    name: Annotated[str, Field(description='The name of the function.')]
    arguments: Annotated[str, Field(description='The arguments passed to the function.')]
    output: Annotated[
        str | None,
        Field(
            description='The output of the function. This will be `null` if the outputs have not been [submitted](/docs/api-reference/runs/submitToolOutputs) yet.'
        ),
    ]


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


class RunStepDeltaStepDetailsToolCallsFunctionObjectFunction(WireModel):
    name: Annotated[str | None, Field(description='The name of the function.')] = None
    arguments: Annotated[str | None, Field(description='The arguments passed to the function.')] = (
        None
    )
    output: Annotated[
        str | None,
        Field(
            description='The output of the function. This will be `null` if the outputs have not been [submitted](/docs/api-reference/runs/submitToolOutputs) yet.'
        ),
    ] = None


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


class AssistantFileObject(WireModel):
    id: Annotated[
        str, Field(description='The identifier, which can be referenced in API endpoints.')
    ]
    object: Annotated[
        Literal['assistant.file'],
        Field(description='The object type, which is always `assistant.file`.'),
    ]
    created_at: Annotated[
        int,
        Field(
            description='The Unix timestamp (in seconds) for when the assistant file was created.'
        ),
    ]
    assistant_id: Annotated[
        str, Field(description='The assistant ID that the file is attached to.')
    ]


class CreateAssistantFileRequest(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    file_id: Annotated[
        str,
        Field(
            description='A [File](/docs/api-reference/files) ID (with `purpose="assistants"`) that the assistant should use. Useful for tools like `retrieval` and `code_interpreter` that can access files.'
        ),
    ]


class DeleteAssistantFileResponse(WireModel):
    id: str
    deleted: bool
    object: Literal['assistant.file.deleted']


class ListAssistantFilesResponse(WireModel):
    object: Annotated[str, Field(examples=['list'])]
    data: list[AssistantFileObject]
    first_id: Annotated[str, Field(examples=['file-abc123'])]
    last_id: Annotated[str, Field(examples=['file-abc456'])]
    has_more: Annotated[bool, Field(examples=[False])]


class MessageFileObject(WireModel):
    id: Annotated[
        str, Field(description='The identifier, which can be referenced in API endpoints.')
    ]
    object: Annotated[
        Literal['thread.message.file'],
        Field(description='The object type, which is always `thread.message.file`.'),
    ]
    created_at: Annotated[
        int,
        Field(description='The Unix timestamp (in seconds) for when the message file was created.'),
    ]
    message_id: Annotated[
        str,
        Field(
            description='The ID of the [message](/docs/api-reference/messages) that the [File](/docs/api-reference/files) is attached to.'
        ),
    ]


class ListMessageFilesResponse(WireModel):
    object: Annotated[str, Field(examples=['list'])]
    data: list[MessageFileObject]
    first_id: Annotated[str, Field(examples=['file-abc123'])]
    last_id: Annotated[str, Field(examples=['file-abc456'])]
    has_more: Annotated[bool, Field(examples=[False])]


class ThreadStreamEventThreadStreamEventThreadCreated(WireModel):
    event: Literal['thread.created']
    data: ThreadObject


class ThreadStreamEvent(RootModel[ThreadStreamEventThreadStreamEventThreadCreated]):
    root: ThreadStreamEventThreadStreamEventThreadCreated


class ErrorEvent(WireModel):
    event: Literal['error']
    data: Error


class DoneEvent(WireModel):
    event: Literal['done']
    data: Literal['[DONE]']


class ListModelsResponse(WireModel):
    object: Literal['list']
    data: list[Model]


class ListFilesResponse(WireModel):
    data: list[OpenAIFile]
    object: Literal['list']


class AssistantsApiResponseFormatOption(
    RootModel[Literal['none', 'auto'] | AssistantsApiResponseFormat]
):
    root: Annotated[
        Literal['none', 'auto'] | AssistantsApiResponseFormat,
        Field(
            description='Specifies the format that the model must output. Compatible with [GPT-4 Turbo](/docs/models/gpt-4-and-gpt-4-turbo) and all GPT-3.5 Turbo models since `gpt-3.5-turbo-1106`.\n\nSetting to `{ "type": "json_object" }` enables JSON mode, which guarantees the message the model generates is valid JSON.\n\n**Important:** when using JSON mode, you **must** also instruct the model to produce JSON yourself via a system or user message. Without this, the model may generate an unending stream of whitespace until the generation reaches the token limit, resulting in a long-running and seemingly "stuck" request. Also note that the message content may be partially cut off if `finish_reason="length"`, which indicates the generation exceeded `max_tokens` or the conversation exceeded the max context length.\n'
        ),
    ]


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
    name: Annotated[
        str | None,
        Field(
            description='The name of the assistant. The maximum length is 256 characters.\n',
            max_length=256,
        ),
    ]
    description: Annotated[
        str | None,
        Field(
            description='The description of the assistant. The maximum length is 512 characters.\n',
            max_length=512,
        ),
    ]
    model: Annotated[
        str,
        Field(
            description='ID of the model to use. You can use the [List models](/docs/api-reference/models/list) API to see all of your available models, or see our [Model overview](/docs/models/overview) for descriptions of them.\n'
        ),
    ]
    instructions: Annotated[
        str | None,
        Field(
            description='The system instructions that the assistant uses. The maximum length is 256,000 characters.\n',
            max_length=256000,
        ),
    ]
    tools: Annotated[
        list[AssistantToolsCode | AssistantToolsRetrieval | AssistantToolsFunction],
        Field(
            description='A list of tool enabled on the assistant. There can be a maximum of 128 tools per assistant. Tools can be of types `code_interpreter`, `retrieval`, or `function`.\n',
            max_length=128,
        ),
    ]
    file_ids: Annotated[
        list[str],
        Field(
            description='A list of [file](/docs/api-reference/files) IDs attached to this assistant. There can be a maximum of 20 files attached to the assistant. Files are ordered by their creation date in ascending order.\n',
            max_length=20,
        ),
    ]
    metadata: Annotated[
        dict[str, Any] | None,
        Field(
            description='Set of 16 key-value pairs that can be attached to an object. This can be useful for storing additional information about the object in a structured format. Keys can be a maximum of 64 characters long and values can be a maxium of 512 characters long.\n'
        ),
    ]


class CreateAssistantRequest(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    model: Annotated[
        str | Literal['gpt-4-turbo', 'gpt-4-turbo-2024-04-09', 'gpt-4-0125-preview', 'gpt-4-turbo-preview', 'gpt-4-1106-preview', 'gpt-4-vision-preview', 'gpt-4', 'gpt-4-0314', 'gpt-4-0613', 'gpt-4-32k', 'gpt-4-32k-0314', 'gpt-4-32k-0613', 'gpt-3.5-turbo', 'gpt-3.5-turbo-16k', 'gpt-3.5-turbo-0613', 'gpt-3.5-turbo-1106', 'gpt-3.5-turbo-0125', 'gpt-3.5-turbo-16k-0613'],
        Field(
            description='ID of the model to use. You can use the [List models](/docs/api-reference/models/list) API to see all of your available models, or see our [Model overview](/docs/models/overview) for descriptions of them.\n',
            examples=['gpt-4-turbo'],
        ),
    ]
    name: Annotated[
        str | None,
        Field(
            description='The name of the assistant. The maximum length is 256 characters.\n',
            max_length=256,
        ),
    ] = None
    description: Annotated[
        str | None,
        Field(
            description='The description of the assistant. The maximum length is 512 characters.\n',
            max_length=512,
        ),
    ] = None
    instructions: Annotated[
        str | None,
        Field(
            description='The system instructions that the assistant uses. The maximum length is 256,000 characters.\n',
            max_length=256000,
        ),
    ] = None
    tools: Annotated[
        list[AssistantToolsCode | AssistantToolsRetrieval | AssistantToolsFunction],
        Field(
            description='A list of tool enabled on the assistant. There can be a maximum of 128 tools per assistant. Tools can be of types `code_interpreter`, `retrieval`, or `function`.\n',
            max_length=128,
            validate_default=True,
        ),
    ] = []
    file_ids: Annotated[
        list[str],
        Field(
            description='A list of [file](/docs/api-reference/files) IDs attached to this assistant. There can be a maximum of 20 files attached to the assistant. Files are ordered by their creation date in ascending order.\n',
            max_length=20,
        ),
    ] = []
    metadata: Annotated[
        dict[str, Any] | None,
        Field(
            description='Set of 16 key-value pairs that can be attached to an object. This can be useful for storing additional information about the object in a structured format. Keys can be a maximum of 64 characters long and values can be a maxium of 512 characters long.\n'
        ),
    ] = None
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
    response_format: AssistantsApiResponseFormatOption | None = None


class ModifyAssistantRequest(WireModel):
    model_config = ConfigDict(
        extra='forbid',
    )
    model: Annotated[
        str | None,
        Field(
            description='ID of the model to use. You can use the [List models](/docs/api-reference/models/list) API to see all of your available models, or see our [Model overview](/docs/models/overview) for descriptions of them.\n'
        ),
    ] = None
    name: Annotated[
        str | None,
        Field(
            description='The name of the assistant. The maximum length is 256 characters.\n',
            max_length=256,
        ),
    ] = None
    description: Annotated[
        str | None,
        Field(
            description='The description of the assistant. The maximum length is 512 characters.\n',
            max_length=512,
        ),
    ] = None
    instructions: Annotated[
        str | None,
        Field(
            description='The system instructions that the assistant uses. The maximum length is 256,000 characters.\n',
            max_length=256000,
        ),
    ] = None
    tools: Annotated[
        list[AssistantToolsCode | AssistantToolsRetrieval | AssistantToolsFunction],
        Field(
            description='A list of tool enabled on the assistant. There can be a maximum of 128 tools per assistant. Tools can be of types `code_interpreter`, `retrieval`, or `function`.\n',
            max_length=128,
            validate_default=True,
        ),
    ] = []
    file_ids: Annotated[
        list[str],
        Field(
            description='A list of [File](/docs/api-reference/files) IDs attached to this assistant. There can be a maximum of 20 files attached to the assistant. Files are ordered by their creation date in ascending order. If a file was previously attached to the list but does not show up in the list, it will be deleted from the assistant.\n',
            max_length=20,
        ),
    ] = []
    metadata: Annotated[
        dict[str, Any] | None,
        Field(
            description='Set of 16 key-value pairs that can be attached to an object. This can be useful for storing additional information about the object in a structured format. Keys can be a maximum of 64 characters long and values can be a maxium of 512 characters long.\n'
        ),
    ] = None
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
    response_format: AssistantsApiResponseFormatOption | None = None


class ListAssistantsResponse(WireModel):
    object: Annotated[str, Field(examples=['list'])]
    data: list[AssistantObject]
    first_id: Annotated[str, Field(examples=['asst_abc123'])]
    last_id: Annotated[str, Field(examples=['asst_abc456'])]
    has_more: Annotated[bool, Field(examples=[False])]


class AssistantsApiToolChoiceOption(
    RootModel[Literal['none', 'auto'] | AssistantsApiNamedToolChoice]
):
    root: Annotated[
        Literal['none', 'auto'] | AssistantsApiNamedToolChoice,
        Field(
            description='Controls which (if any) tool is called by the model.\n`none` means the model will not call any tools and instead generates a message.\n`auto` is the default value and means the model can pick between generating a message or calling a tool.\nSpecifying a particular tool like `{"type": "TOOL_TYPE"}` or `{"type": "function", "function": {"name": "my_function"}}` forces the model to call that tool.\n'
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
        Literal['queued', 'in_progress', 'requires_action', 'cancelling', 'cancelled', 'failed', 'completed', 'expired'],
        Field(
            description='The status of the run, which can be either `queued`, `in_progress`, `requires_action`, `cancelling`, `cancelled`, `failed`, `completed`, or `expired`.'
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
        list[AssistantToolsCode | AssistantToolsRetrieval | AssistantToolsFunction],
        Field(
            description='The list of tools that the [assistant](/docs/api-reference/assistants) used for this run.',
            max_length=20,
        ),
    ]
    file_ids: Annotated[
        list[str],
        Field(
            description='The list of [File](/docs/api-reference/files) IDs the [assistant](/docs/api-reference/assistants) used for this run.'
        ),
    ]
    metadata: Annotated[
        dict[str, Any] | None,
        Field(
            description='Set of 16 key-value pairs that can be attached to an object. This can be useful for storing additional information about the object in a structured format. Keys can be a maximum of 64 characters long and values can be a maxium of 512 characters long.\n'
        ),
    ]
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
    truncation_strategy: Annotated[TruncationObject | None, Field(...)]
    tool_choice: Annotated[AssistantsApiToolChoiceOption | None, Field(...)]
    response_format: Annotated[AssistantsApiResponseFormatOption | None, Field(...)]


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
        str | Literal['gpt-4-turbo', 'gpt-4-turbo-2024-04-09', 'gpt-4-0125-preview', 'gpt-4-turbo-preview', 'gpt-4-1106-preview', 'gpt-4-vision-preview', 'gpt-4', 'gpt-4-0314', 'gpt-4-0613', 'gpt-4-32k', 'gpt-4-32k-0314', 'gpt-4-32k-0613', 'gpt-3.5-turbo', 'gpt-3.5-turbo-16k', 'gpt-3.5-turbo-0613', 'gpt-3.5-turbo-1106', 'gpt-3.5-turbo-0125', 'gpt-3.5-turbo-16k-0613'] | None,
        Field(
            description='The ID of the [Model](/docs/api-reference/models) to be used to execute this run. If a value is provided here, it will override the model associated with the assistant. If not, the model associated with the assistant will be used.',
            examples=['gpt-4-turbo'],
        ),
    ] = None
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
        list[AssistantToolsCode | AssistantToolsRetrieval | AssistantToolsFunction] | None,
        Field(
            description='Override the tools the assistant can use for this run. This is useful for modifying the behavior on a per-run basis.',
            max_length=20,
        ),
    ] = None
    metadata: Annotated[
        dict[str, Any] | None,
        Field(
            description='Set of 16 key-value pairs that can be attached to an object. This can be useful for storing additional information about the object in a structured format. Keys can be a maximum of 64 characters long and values can be a maxium of 512 characters long.\n'
        ),
    ] = None
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
            description='The maximum number of prompt tokens that may be used over the course of the run. The run will make a best effort to use only the number of prompt tokens specified, across multiple turns of the run. If the run exceeds the number of prompt tokens specified, the run will end with status `complete`. See `incomplete_details` for more info.\n',
            ge=256,
        ),
    ] = None
    max_completion_tokens: Annotated[
        int | None,
        Field(
            description='The maximum number of completion tokens that may be used over the course of the run. The run will make a best effort to use only the number of completion tokens specified, across multiple turns of the run. If the run exceeds the number of completion tokens specified, the run will end with status `complete`. See `incomplete_details` for more info.\n',
            ge=256,
        ),
    ] = None
    truncation_strategy: TruncationObject | None = None
    tool_choice: AssistantsApiToolChoiceOption | None = None
    response_format: AssistantsApiResponseFormatOption | None = None


class ListRunsResponse(WireModel):
    object: Annotated[str, Field(examples=['list'])]
    data: list[RunObject]
    first_id: Annotated[str, Field(examples=['run_abc123'])]
    last_id: Annotated[str, Field(examples=['run_abc456'])]
    has_more: Annotated[bool, Field(examples=[False])]


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
    metadata: Annotated[
        dict[str, Any] | None,
        Field(
            description='Set of 16 key-value pairs that can be attached to an object. This can be useful for storing additional information about the object in a structured format. Keys can be a maximum of 64 characters long and values can be a maxium of 512 characters long.\n'
        ),
    ] = None


class MessageContentTextObjectText(WireModel):
    value: Annotated[str, Field(description='The data that makes up the text.')]
    annotations: list[MessageContentTextAnnotationsFileCitationObject | MessageContentTextAnnotationsFilePathObject]


class MessageContentTextObject(WireModel):
    type: Annotated[Literal['text'], Field(description='Always `text`.')]
    text: MessageContentTextObjectText


class MessageDeltaContentTextObjectText(WireModel):
    value: Annotated[str | None, Field(description='The data that makes up the text.')] = None
    annotations: list[MessageDeltaContentTextAnnotationsFileCitationObject | MessageDeltaContentTextAnnotationsFilePathObject] | None = (
        None
    )


class MessageDeltaContentTextObject(WireModel):
    index: Annotated[int, Field(description='The index of the content part in the message.')]
    type: Annotated[Literal['text'], Field(description='Always `text`.')]
    text: MessageDeltaContentTextObjectText | None = None


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
        | RunStreamEventRunStreamEventThreadRunFailed
        | RunStreamEventRunStreamEventThreadRunCancelling
        | RunStreamEventRunStreamEventThreadRunCancelled
        | RunStreamEventRunStreamEventThreadRunExpired
    ]
):
    root: RunStreamEventRunStreamEventThreadRunCreated | RunStreamEventRunStreamEventThreadRunQueued | RunStreamEventRunStreamEventThreadRunInProgress | RunStreamEventRunStreamEventThreadRunRequiresAction | RunStreamEventRunStreamEventThreadRunCompleted | RunStreamEventRunStreamEventThreadRunFailed | RunStreamEventRunStreamEventThreadRunCancelling | RunStreamEventRunStreamEventThreadRunCancelled | RunStreamEventRunStreamEventThreadRunExpired


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
    thread: Annotated[
        CreateThreadRequest | None,
        Field(description='If no thread is provided, an empty thread will be created.'),
    ] = None
    model: Annotated[
        str | Literal['gpt-4-turbo', 'gpt-4-turbo-2024-04-09', 'gpt-4-0125-preview', 'gpt-4-turbo-preview', 'gpt-4-1106-preview', 'gpt-4-vision-preview', 'gpt-4', 'gpt-4-0314', 'gpt-4-0613', 'gpt-4-32k', 'gpt-4-32k-0314', 'gpt-4-32k-0613', 'gpt-3.5-turbo', 'gpt-3.5-turbo-16k', 'gpt-3.5-turbo-0613', 'gpt-3.5-turbo-1106', 'gpt-3.5-turbo-0125', 'gpt-3.5-turbo-16k-0613'] | None,
        Field(
            description='The ID of the [Model](/docs/api-reference/models) to be used to execute this run. If a value is provided here, it will override the model associated with the assistant. If not, the model associated with the assistant will be used.',
            examples=['gpt-4-turbo'],
        ),
    ] = None
    instructions: Annotated[
        str | None,
        Field(
            description='Override the default system message of the assistant. This is useful for modifying the behavior on a per-run basis.'
        ),
    ] = None
    tools: Annotated[
        list[AssistantToolsCode | AssistantToolsRetrieval | AssistantToolsFunction] | None,
        Field(
            description='Override the tools the assistant can use for this run. This is useful for modifying the behavior on a per-run basis.',
            max_length=20,
        ),
    ] = None
    metadata: Annotated[
        dict[str, Any] | None,
        Field(
            description='Set of 16 key-value pairs that can be attached to an object. This can be useful for storing additional information about the object in a structured format. Keys can be a maximum of 64 characters long and values can be a maxium of 512 characters long.\n'
        ),
    ] = None
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
            description='The maximum number of prompt tokens that may be used over the course of the run. The run will make a best effort to use only the number of prompt tokens specified, across multiple turns of the run. If the run exceeds the number of prompt tokens specified, the run will end with status `complete`. See `incomplete_details` for more info.\n',
            ge=256,
        ),
    ] = None
    max_completion_tokens: Annotated[
        int | None,
        Field(
            description='The maximum number of completion tokens that may be used over the course of the run. The run will make a best effort to use only the number of completion tokens specified, across multiple turns of the run. If the run exceeds the number of completion tokens specified, the run will end with status `complete`. See `incomplete_details` for more info.\n',
            ge=256,
        ),
    ] = None
    truncation_strategy: TruncationObject | None = None
    tool_choice: AssistantsApiToolChoiceOption | None = None
    response_format: AssistantsApiResponseFormatOption | None = None


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
    incomplete_details: Annotated[
        MessageObjectIncompleteDetails | None,
        Field(description='On an incomplete message, details about why the message is incomplete.'),
    ]
    completed_at: Annotated[
        int | None,
        Field(description='The Unix timestamp (in seconds) for when the message was completed.'),
    ]
    incomplete_at: Annotated[
        int | None,
        Field(
            description='The Unix timestamp (in seconds) for when the message was marked as incomplete.'
        ),
    ]
    role: Annotated[
        Literal['user', 'assistant'],
        Field(description='The entity that produced the message. One of `user` or `assistant`.'),
    ]
    content: Annotated[
        list[MessageContentImageFileObject | MessageContentTextObject],
        Field(description='The content of the message in array of text and/or images.'),
    ]
    assistant_id: Annotated[
        str | None,
        Field(
            description='If applicable, the ID of the [assistant](/docs/api-reference/assistants) that authored this message.'
        ),
    ]
    run_id: Annotated[
        str | None,
        Field(
            description='The ID of the [run](/docs/api-reference/runs) associated with the creation of this message. Value is `null` when messages are created manually using the create message or create thread endpoints.'
        ),
    ]
    file_ids: Annotated[
        list[str],
        Field(
            description='A list of [file](/docs/api-reference/files) IDs that the assistant should use. Useful for tools like retrieval and code_interpreter that can access files. A maximum of 10 files can be attached to a message.',
            max_length=10,
        ),
    ]
    metadata: Annotated[
        dict[str, Any] | None,
        Field(
            description='Set of 16 key-value pairs that can be attached to an object. This can be useful for storing additional information about the object in a structured format. Keys can be a maximum of 64 characters long and values can be a maxium of 512 characters long.\n'
        ),
    ]


class MessageDeltaObjectDelta(WireModel):
    role: Annotated[
        Literal['user', 'assistant'] | None,
        Field(description='The entity that produced the message. One of `user` or `assistant`.'),
    ] = None
    content: Annotated[
        list[MessageDeltaContentImageFileObject | MessageDeltaContentTextObject] | None,
        Field(description='The content of the message in array of text and/or images.'),
    ] = None
    file_ids: Annotated[
        list[str],
        Field(
            description='A list of [file](/docs/api-reference/files) IDs that the assistant should use. Useful for tools like retrieval and code_interpreter that can access files. A maximum of 10 files can be attached to a message.',
            max_length=10,
        ),
    ] = []


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


class ListMessagesResponse(WireModel):
    object: Annotated[str, Field(examples=['list'])]
    data: list[MessageObject]
    first_id: Annotated[str, Field(examples=['msg_abc123'])]
    last_id: Annotated[str, Field(examples=['msg_abc123'])]
    has_more: Annotated[bool, Field(examples=[False])]


class RunStepDetailsToolCallsObject(WireModel):
    type: Annotated[Literal['tool_calls'], Field(description='Always `tool_calls`.')]
    tool_calls: Annotated[
        list[RunStepDetailsToolCallsCodeObject | RunStepDetailsToolCallsRetrievalObject | RunStepDetailsToolCallsFunctionObject],
        Field(
            description='An array of tool calls the run step was involved in. These can be associated with one of three types of tools: `code_interpreter`, `retrieval`, or `function`.\n'
        ),
    ]


class RunStepDeltaStepDetailsToolCallsObject(WireModel):
    type: Annotated[Literal['tool_calls'], Field(description='Always `tool_calls`.')]
    tool_calls: Annotated[
        list[RunStepDeltaStepDetailsToolCallsCodeObject | RunStepDeltaStepDetailsToolCallsRetrievalObject | RunStepDeltaStepDetailsToolCallsFunctionObject] | None,
        Field(
            description='An array of tool calls the run step was involved in. These can be associated with one of three types of tools: `code_interpreter`, `retrieval`, or `function`.\n'
        ),
    ] = None


class MessageStreamEventMessageStreamEventThreadMessageCreated(WireModel):
    event: Literal['thread.message.created']
    data: MessageObject


class MessageStreamEventMessageStreamEventThreadMessageInProgress(WireModel):
    event: Literal['thread.message.in_progress']
    data: MessageObject


class MessageStreamEventMessageStreamEventThreadMessageDelta(WireModel):
    event: Literal['thread.message.delta']
    data: MessageDeltaObject


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
    last_error: Annotated[
        RunStepObjectLastError | None,
        Field(
            description='The last error associated with this run step. Will be `null` if there are no errors.'
        ),
    ]
    expired_at: Annotated[
        int | None,
        Field(
            description='The Unix timestamp (in seconds) for when the run step expired. A step is considered expired if the parent run is expired.'
        ),
    ]
    cancelled_at: Annotated[
        int | None,
        Field(description='The Unix timestamp (in seconds) for when the run step was cancelled.'),
    ]
    failed_at: Annotated[
        int | None,
        Field(description='The Unix timestamp (in seconds) for when the run step failed.'),
    ]
    completed_at: Annotated[
        int | None,
        Field(description='The Unix timestamp (in seconds) for when the run step completed.'),
    ]
    metadata: Annotated[
        dict[str, Any] | None,
        Field(
            description='Set of 16 key-value pairs that can be attached to an object. This can be useful for storing additional information about the object in a structured format. Keys can be a maximum of 64 characters long and values can be a maxium of 512 characters long.\n'
        ),
    ]
    usage: RunStepCompletionUsage | None


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


class ListRunStepsResponse(WireModel):
    object: Annotated[str, Field(examples=['list'])]
    data: list[RunStepObject]
    first_id: Annotated[str, Field(examples=['step_abc123'])]
    last_id: Annotated[str, Field(examples=['step_abc456'])]
    has_more: Annotated[bool, Field(examples=[False])]


class RunStepStreamEventRunStepStreamEventThreadRunStepCreated(WireModel):
    event: Literal['thread.run.step.created']
    data: RunStepObject


class RunStepStreamEventRunStepStreamEventThreadRunStepInProgress(WireModel):
    event: Literal['thread.run.step.in_progress']
    data: RunStepObject


class RunStepStreamEventRunStepStreamEventThreadRunStepDelta(WireModel):
    event: Literal['thread.run.step.delta']
    data: RunStepDeltaObject


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
