from __future__ import annotations

from fastapi import APIRouter

from assistants_server.api.deps import BackendsDep, TenantDep
from assistants_server.errors import NotFoundError
from assistants_server.llm.base import ModelInfo
from assistants_server.schemas._generated import v2

router = APIRouter(tags=["Models"])


def _wire(info: ModelInfo) -> v2.Model:
    return v2.Model(id=info.id, created=info.created, object="model", owned_by=info.owned_by)


@router.get("/models", operation_id="listModels")
async def list_models(backends: BackendsDep, tenant: TenantDep) -> v2.ListModelsResponse:
    models = await backends.list_models()
    return v2.ListModelsResponse(object="list", data=[_wire(info) for info in models])


@router.get("/models/{model:path}", operation_id="retrieveModel")
async def retrieve_model(model: str, backends: BackendsDep, tenant: TenantDep) -> v2.Model:
    for info in await backends.list_models():
        if info.id == model:
            return _wire(info)
    raise NotFoundError(
        f"The model '{model}' does not exist", param="model", code="model_not_found"
    )
