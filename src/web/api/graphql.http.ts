import type { TypedDocumentString } from "../generated/graphql";
import { ApiFailure, type ApiError } from "./api-error";

/** Queries and mutations over `POST /graphql`, with the credential as `Authorization: Bearer`. */
export function createHttpClient(endpoint: string, authorization: () => string | null) {
  return async function request<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    variables: TVariables,
  ): Promise<TResult> {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
    };
    const credential = authorization();
    if (credential) headers.authorization = credential;
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: "POST",
        headers,
        body: JSON.stringify({ query: document.toString(), variables }),
      });
    } catch (error) {
      throw new ApiFailure([{ message: `The gateway could not be reached (${String(error)}).` }]);
    }
    const body = (await response.json().catch(() => null)) as {
      data?: TResult | null;
      errors?: ApiError[];
    } | null;
    if (body?.errors?.length) throw new ApiFailure(body.errors);
    if (!body?.data) {
      throw new ApiFailure([
        { message: `The gateway answered HTTP ${response.status} without data.` },
      ]);
    }
    return body.data;
  };
}

export type HttpClient = ReturnType<typeof createHttpClient>;
