// One error type for every checkpoint reader, so main/ can map it to a user-facing message
// by kind without parsing text. The detail stays specific and English (it goes into logs and
// bug reports): which tensor, which bytes, which file.

export type WeightsErrorKind =
  /** The file ends early or a piece is missing: an interrupted download, a missing shard. */
  | 'truncated'
  /** The bytes contradict themselves: not the format it claims to be, or damaged. */
  | 'corrupt'
  /** A valid file using something this reader does not (or will not) handle. */
  | 'unsupported';

export class WeightsError extends Error {
  constructor(
    readonly kind: WeightsErrorKind,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'WeightsError';
  }
}
