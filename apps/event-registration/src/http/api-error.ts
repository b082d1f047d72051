/** One field-level problem with a request. */
export interface ApiErrorDetail {
  field: string;
  message: string;
}

/** The body of every error response: `{ statusCode, error, message, details }`. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: ApiErrorDetail[];
}
