/** Input limits enforced by the API and mirrored by clients for early feedback. */
export const Limits = {
  USERNAME_MIN: 3,
  USERNAME_MAX: 32,
  USERNAME_PATTERN: /^[a-zA-Z0-9_.-]+$/,
  PASSWORD_MIN: 8,
  /** argon2 hashes whatever it gets; the cap keeps a login from costing seconds of CPU. */
  PASSWORD_MAX: 256,
  DISPLAY_NAME_MAX: 64,
  ROOM_NAME_MIN: 1,
  ROOM_NAME_MAX: 80,
  ROOM_CAPACITY_MAX: 100_000,
  ROOM_TOPIC_MAX: 500,
  MESSAGE_BODY_MAX: 4000,
  CLIENT_MSG_ID_MAX: 64,
  HISTORY_PAGE_DEFAULT: 50,
  HISTORY_PAGE_MAX: 200,
  SEARCH_MAX: 64,
  /** Characters of a message search (`GET /api/search?q=`). */
  SEARCH_QUERY_MAX: 200,
  SEARCH_PAGE_DEFAULT: 20,
  SEARCH_PAGE_MAX: 50,
  /** People and rooms a search returns beside the message hits. */
  SEARCH_NAMES_MAX: 5,
  LIST_PAGE_MAX: 50,
  MEMBERS_PAGE_DEFAULT: 100,
  MEMBERS_PAGE_MAX: 200,
  /** Attachments one message may carry. */
  ATTACHMENTS_PER_MESSAGE: 10,
  /** Characters of an attachment's file name (longer names are cut, keeping the extension). */
  ATTACHMENT_NAME_MAX: 200,
  /** Ids per `POST /api/attachments/signed-urls`. */
  ATTACHMENT_URLS_MAX: 100,
  /** Distinct emoji on one message; adding one more is refused with REACTION_LIMIT. */
  REACTIONS_PER_MESSAGE_MAX: 20,
  /** `Reaction.userIds` is cut to this many; `Reaction.count` stays exact. */
  REACTION_USERS_MAX: 50,
  /** UTF-16 code units of one emoji (a family or flag sequence is long, but one grapheme). */
  EMOJI_MAX: 32,
  /** Distinct users a message may mention; further `@names` are plain text. */
  MENTIONS_MAX: 50,
} as const;
