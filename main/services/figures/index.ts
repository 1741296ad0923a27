// Figures: a chart's SVG as a vector PDF with the Japanese font embedded (figure.pdf).
import type { Handlers } from '../../../common/contract';
import type { WorkflowService } from '../workflow';
import { svgToPdf } from './pdf';

type FigureHandlers = Pick<Handlers, 'figure.pdf'>;

/** `fontPath`: resources/fonts/ipaexg.ttf, embedded in every PDF. */
export function figuresService(fontPath: string): WorkflowService<FigureHandlers> {
  return {
    handlers: { 'figure.pdf': async ({ svg, width, height }) => ({ bytes: await svgToPdf({ svg, width, height, fontPath }) }) },
    runs: {},
  };
}
