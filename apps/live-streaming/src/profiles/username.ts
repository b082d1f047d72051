/** Usernames appear in URLs and chat mentions: ASCII letters, digits and underscores only. */
export const USERNAME_PATTERN = /^[A-Za-z0-9_]{3,30}$/;
