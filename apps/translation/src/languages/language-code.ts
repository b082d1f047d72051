import { IsString, Matches } from 'class-validator';

/**
 * A BCP 47 tag of the shape the translation providers accept: a 2–3 letter language, an optional script and an
 * optional region (`en`, `ja`, `pt-BR`, `zh-Hans`, `es-419`). Stored as given: providers are case-sensitive.
 */
export const LANGUAGE_CODE_PATTERN = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|\d{3}))?$/;

export const LANGUAGE_CODE_EXAMPLE = 'ja';

/** class-validator check for a DTO field holding a language tag. */
export function IsLanguageCode(): PropertyDecorator {
  return (target, property) => {
    IsString()(target, property);
    Matches(LANGUAGE_CODE_PATTERN, {
      message: '$property must be a language tag such as en, ja, pt-BR or zh-Hans',
    })(target, property);
  };
}
