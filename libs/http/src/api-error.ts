/** One failed constraint of one field, named by its dotted path (`answers.0.value`). */
export interface ApiErrorDetail {
  field: string;
  message: string;
}

/** Every problem of one field at once: the shape medical-vitals clients (HTTP and socket) read. */
export interface ApiFieldProblems {
  field: string;
  problems: string[];
}

/** The body of every error response: `{ statusCode, error, message, details }`. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: ApiErrorDetail[] | ApiFieldProblems[];
}
