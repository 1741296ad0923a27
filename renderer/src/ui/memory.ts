// Memory as the wizards and run pages show it, and whether an estimate fits the backend in use.
import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { wasmHeapBytes } from '../../../common/memory';
import { formatMemory } from '../format';
import { useApp } from '../state/AppContext';

/** Bytes as "24 MiB" or "1.3 GiB" in the reader's language (formatMemory picks the unit; never "0.0 GB"). */
export function memoryText(bytes: number, t: TFunction): string {
  const m = formatMemory(bytes);
  return t(`memory.${m.unit}`, { value: m.value });
}

/** The most tensor memory the compute backend can hold: WebAssembly's 4 GiB heap; null where none is known (native, WebGPU, cpu). */
export function useMemoryLimit(): number | null {
  const app = useApp();
  const [limit, setLimit] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    app.api
      .call('compute.status', {})
      .then((s) => live && setLimit(s.backend === 'wasm' ? wasmHeapBytes : null))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [app.api]);
  return limit;
}
