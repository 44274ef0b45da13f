/** A request refused as a whole with this HTTP status; nothing of it is written. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}
