// Annotated sentences (joint entity and relation extraction data) from the three formats the
// Entities page imports. Every parser checks everything before returning: a bad record, tag, span
// or relation throws a ShirabeError naming the file and the place, and nothing is returned, so an
// import is all or nothing.
import { ShirabeError } from '../../../common/errors';
import { parseBrat } from './brat';
import { isConll04TypesFile, parseConll04 } from './conll04';
import { parseConll } from './conll';
import type { AnnotationFile, AnnotationFileFormat, ParseOptions, ParsedAnnotations } from './types';

export type { AnnotationFile, AnnotationFileFormat, AnnotationWarnings, ParseOptions, ParsedAnnotations, Segmenter } from './types';
export { sentenceRanges } from '../sentences';
export { detectScheme } from './conll';

/**
 * Sentences, their types (first-seen order; for conll04 a types file among `files` fixes it) and
 * what was skipped. Throws annotationEmpty when the files hold no sentence at all.
 */
export function parseAnnotations(format: AnnotationFileFormat, files: readonly AnnotationFile[], options: ParseOptions = {}): ParsedAnnotations {
  const result = format === 'conll04' ? parseConll04(files) : format === 'conll' ? parseConll(files) : parseBrat(files, options.segmenter);
  if (result.sentences.length === 0) {
    const data = format === 'conll04' ? files.filter((f) => !isConll04TypesFile(f)) : files;
    throw new ShirabeError('annotationEmpty', { file: (data.length > 0 ? data : files).map((f) => f.name).join(', ') || '—' });
  }
  return result;
}
