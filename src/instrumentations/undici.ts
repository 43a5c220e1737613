// Upstream's undici (fetch) instrumentation, with the client duration histogram's attribute sets
// interned: upstream builds a new one at every request, which sdk-metrics sorted and stringified
// again at every record. Loaded through instrumentations/modules/undici.
import type { Attributes, Context, Histogram } from '@opentelemetry/api';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { internAttributes } from '../metrics/interned-attributes.js';

interface WithHistogram {
  _httpClientDurationHistogram: Histogram | undefined;
}

export class Instrumentation extends UndiciInstrumentation {
  protected override _updateMetricInstruments(): void {
    super._updateMetricInstruments();
    const self = this as unknown as WithHistogram;
    const histogram = self._httpClientDurationHistogram;
    if (histogram === undefined) return;
    self._httpClientDurationHistogram = {
      record: (value: number, attributes?: Attributes, context?: Context) =>
        histogram.record(value, attributes === undefined ? undefined : internAttributes(attributes), context),
    };
  }
}
