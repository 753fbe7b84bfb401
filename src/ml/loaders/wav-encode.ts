/**
 * Minimal WAV writer (plain PCM or IEEE float header, little-endian), the
 * inverse of decodeWav: used to write synthetic fixtures and derived clips.
 * Float input is clipped to [−1, 1] before integer quantisation.
 */
export interface WavEncodeOptions {
  sampleRate: number;
  bitsPerSample: 8 | 16 | 24 | 32;
  encoding?: 'pcm' | 'float';
}

export function encodeWav(channelData: readonly Float32Array[], options: WavEncodeOptions): Uint8Array {
  const channels = channelData.length;
  const frames = channelData[0]?.length ?? 0;
  const encoding = options.encoding ?? 'pcm';
  const bits = options.bitsPerSample;
  if (encoding === 'float' && bits !== 32) throw new RangeError('float WAV output is 32-bit only');
  const bytesPerSample = bits / 8;
  const blockAlign = channels * bytesPerSample;
  const dataBytes = frames * blockAlign;
  const out = new Uint8Array(44 + dataBytes + (dataBytes & 1));
  const view = new DataView(out.buffer);
  const text = (at: number, s: string) => [...s].forEach((ch, i) => view.setUint8(at + i, ch.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, out.byteLength - 8, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, encoding === 'float' ? 3 : 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, options.sampleRate, true);
  view.setUint32(28, options.sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bits, true);
  text(36, 'data');
  view.setUint32(40, dataBytes, true);
  const full = 2 ** (bits - 1);
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < channels; c++) {
      const at = 44 + f * blockAlign + c * bytesPerSample;
      const v = (channelData[c] as Float32Array)[f] as number;
      if (encoding === 'float') {
        view.setFloat32(at, v, true);
        continue;
      }
      const q = Math.max(-full, Math.min(full - 1, Math.round(Math.max(-1, Math.min(1, v)) * full)));
      if (bits === 8) view.setUint8(at, q + 128);
      else if (bits === 16) view.setInt16(at, q, true);
      else if (bits === 24) {
        view.setUint8(at, q & 0xff);
        view.setUint8(at + 1, (q >> 8) & 0xff);
        view.setInt8(at + 2, q >> 16);
      } else view.setInt32(at, q, true);
    }
  }
  return out;
}
