// Figures: what the renderer cannot do alone (PDF with the embedded Japanese font).
import { z } from 'zod';
import { method, section } from './define';

export const figures = section({
  methods: {
    /** SVG (as ECharts renders it) to PDF with the embedded Japanese font. */
    'figure.pdf': method<{ bytes: Uint8Array }>()(
      z.object({ svg: z.string().min(1), width: z.number().positive(), height: z.number().positive() }),
    ),
  },
});
