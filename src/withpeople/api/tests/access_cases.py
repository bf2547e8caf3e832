from withpeople.testing.access import API_SIGNED_IN, PUBLIC, Case

CASES = {
    "api:api-root": Case(dict.fromkeys(PUBLIC, 404)),
    "api:openapi-json": Case(PUBLIC),
    "api:list_organisations": Case(API_SIGNED_IN),
}
