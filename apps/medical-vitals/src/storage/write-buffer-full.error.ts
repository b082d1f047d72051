/** The write buffer holds WRITE_BUFFER_MAX_ROWS already: the caller must slow down (the device gets `throttled`). */
export class WriteBufferFullError extends Error {
  constructor(
    readonly bufferedRows: number,
    readonly maxRows: number,
  ) {
    super(`write buffer full: ${bufferedRows} of ${maxRows} rows waiting to be stored`);
  }
}
