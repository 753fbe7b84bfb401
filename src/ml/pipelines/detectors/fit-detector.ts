import { fitAutoencoderDetector } from './autoencoder-detector.js';
import type { Detector, DetectorSpec, FitInput } from './detector.js';
import { fitIsolationDetector, fitPcaDetector } from './row-detectors.js';

export async function fitDetector(spec: DetectorSpec, input: FitInput): Promise<Detector> {
  switch (spec.kind) {
    case 'isolation-forest':
      return fitIsolationDetector(spec, input);
    case 'pca-monitor':
      return fitPcaDetector(spec, input);
    case 'autoencoder':
      return fitAutoencoderDetector(spec, input);
  }
}
