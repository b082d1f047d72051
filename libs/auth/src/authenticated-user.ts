/** Who made the request, as proven by a verified access token. */
export interface AuthenticatedUser {
  id: string;
  role: string;
}
