"""v1 assistant files (`/assistants/{id}/files`), served whatever the `OpenAI-Beta` header."""

from __future__ import annotations

from fastapi import APIRouter

from assistants_server.api.deps import WIRE, SessionDep, TenantDep
from assistants_server.pagination import ListObject, PageParamsDep, list_object
from assistants_server.schemas._generated import v1
from assistants_server.schemas.files import assistant_file_wire
from assistants_server.services import assistant_files as assistant_files_service

router = APIRouter(tags=["Assistants"])


@router.post("/assistants/{assistant_id}/files", operation_id="createAssistantFile")
async def create_assistant_file(
    assistant_id: str, body: v1.CreateAssistantFileRequest, session: SessionDep, tenant: TenantDep
) -> v1.AssistantFileObject:
    link = await assistant_files_service.attach(session, tenant, assistant_id, body.file_id)
    return assistant_file_wire(link)


@router.get(
    "/assistants/{assistant_id}/files", operation_id="listAssistantFiles", response_model=WIRE
)
async def list_assistant_files(
    assistant_id: str, session: SessionDep, tenant: TenantDep, params: PageParamsDep
) -> ListObject[v1.AssistantFileObject]:
    page = await assistant_files_service.list_page(session, tenant, assistant_id, params)
    return list_object([assistant_file_wire(link) for link in page.items], page)


@router.get("/assistants/{assistant_id}/files/{file_id}", operation_id="getAssistantFile")
async def get_assistant_file(
    assistant_id: str, file_id: str, session: SessionDep, tenant: TenantDep
) -> v1.AssistantFileObject:
    link = await assistant_files_service.get(session, tenant, assistant_id, file_id)
    return assistant_file_wire(link)


@router.delete("/assistants/{assistant_id}/files/{file_id}", operation_id="deleteAssistantFile")
async def delete_assistant_file(
    assistant_id: str, file_id: str, session: SessionDep, tenant: TenantDep
) -> v1.DeleteAssistantFileResponse:
    await assistant_files_service.detach(session, tenant, assistant_id, file_id)
    return v1.DeleteAssistantFileResponse(id=file_id, deleted=True, object="assistant.file.deleted")
