from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from assistants_server.api.deps import (
    WIRE,
    ApiVersionDep,
    SessionDep,
    SettingsDep,
    StorageDep,
    TenantDep,
)
from assistants_server.api.uploads import receive_upload
from assistants_server.pagination import FilePageParamsDep, ListObject, list_object
from assistants_server.schemas._generated import v2
from assistants_server.schemas.files import UploadFormV1, UploadFormV2, file_wire
from assistants_server.services import files as files_service

router = APIRouter(tags=["Files"])

OpenAIFile = dict[str, Any]  # v1 or v2, as `file_wire` shows it


@router.post("/files", operation_id="createFile", response_model=WIRE)
async def create_file(
    request: Request,
    session: SessionDep,
    tenant: TenantDep,
    version: ApiVersionDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> OpenAIFile:
    form_model: type[UploadFormV1 | UploadFormV2] = (
        UploadFormV1 if version == "v1" else UploadFormV2
    )
    form, stored = await receive_upload(
        request, storage, form_model, max_bytes=settings.max_upload_bytes
    )
    expires_after = getattr(form, "expires_after", None)
    try:
        record = await files_service.create(
            session,
            tenant,
            storage_key=stored.storage_key,
            filename=stored.filename,
            size=stored.size,
            purpose=form.purpose,
            expires_after_seconds=expires_after.seconds if expires_after else None,
        )
    except BaseException:
        await storage.delete(stored.storage_key)  # no record will name these bytes
        raise
    return file_wire(record, version)


@router.get("/files", operation_id="listFiles", response_model=WIRE)
async def list_files(
    session: SessionDep,
    tenant: TenantDep,
    version: ApiVersionDep,
    params: FilePageParamsDep,
    purpose: Annotated[str | None, Query()] = None,
) -> ListObject[OpenAIFile]:
    page = await files_service.list_page(session, tenant, params, purpose=purpose)
    return list_object([file_wire(record, version) for record in page.items], page)


@router.get("/files/{file_id}", operation_id="retrieveFile", response_model=WIRE)
async def retrieve_file(
    file_id: str, session: SessionDep, tenant: TenantDep, version: ApiVersionDep
) -> OpenAIFile:
    return file_wire(await files_service.get(session, tenant, file_id), version)


@router.delete("/files/{file_id}", operation_id="deleteFile")
async def delete_file(
    file_id: str, session: SessionDep, tenant: TenantDep, storage: StorageDep
) -> v2.DeleteFileResponse:
    await files_service.delete(session, tenant, storage, file_id)
    return v2.DeleteFileResponse(id=file_id, object="file", deleted=True)


@router.get("/files/{file_id}/content", operation_id="downloadFile")
async def download_file(
    file_id: str, session: SessionDep, tenant: TenantDep, storage: StorageDep
) -> StreamingResponse:
    record, chunks = await files_service.content(session, tenant, storage, file_id)
    return StreamingResponse(
        chunks,
        media_type="application/octet-stream",
        headers={
            "Content-Length": str(record.bytes),
            "Content-Disposition": "attachment; filename*=UTF-8''" + quote(record.filename),
        },
    )
