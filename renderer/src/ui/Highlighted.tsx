import type { Span } from '../../../common/contract';
import { splitBySpans } from '../format';

/** Text with <mark> around the given spans. */
export function Highlighted({ text, spans, currentStart }: { text: string; spans: readonly Span[]; currentStart?: number }) {
  return (
    <>
      {splitBySpans(text, spans).map((piece) =>
        piece.mark ? (
          <mark
            key={piece.start}
            className={piece.start === currentStart ? 'current' : undefined}
            data-current={piece.start === currentStart ? 'true' : undefined}
          >
            {piece.text}
          </mark>
        ) : (
          <span key={piece.start}>{piece.text}</span>
        ),
      )}
    </>
  );
}
