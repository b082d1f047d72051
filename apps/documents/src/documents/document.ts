/** A document's metadata as the API returns it (times as ISO 8601 text, UTC). */
export interface Document {
  id: string;
  organisationId: string;
  ownerId: string;
  title: string;
  createdAt: string;
  updatedAt: string;
}
