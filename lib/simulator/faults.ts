import { kakaoError } from './respond';
import { seededRandom } from './seed';
import type { FaultKind, SimResponse } from './types';

/* Fault injection: a scripted queue first, then a random rate (seeded, so runs repeat). */

export function createFaults(seed: number) {
  const random = seededRandom(seed);
  const scripted: { pathPrefix: string; kind: FaultKind }[] = [];
  let faultRate = 0;
  let faultKinds: FaultKind[] = ['5xx'];
  let faultPathPrefix = '/';

  return {
    /** The fault to inject for this request, if any. */
    next(path: string): FaultKind | undefined {
      const i = scripted.findIndex((f) => path.startsWith(f.pathPrefix));
      if (i >= 0) return scripted.splice(i, 1)[0]!.kind;
      if (faultRate > 0 && path.startsWith(faultPathPrefix) && random() < faultRate) {
        return faultKinds[Math.floor(random() * faultKinds.length)];
      }
      return undefined;
    },
    inject(kind: FaultKind, count = 1, pathPrefix = '/') {
      for (let i = 0; i < count; i++) scripted.push({ pathPrefix, kind });
    },
    setRate(rate: number, kinds: FaultKind[] = ['5xx'], pathPrefix = '/') {
      faultRate = rate;
      faultKinds = kinds;
      faultPathPrefix = pathPrefix;
    },
    clear() {
      scripted.length = 0;
      faultRate = 0;
    },
  };
}

/** Kakao's answer for an injected fault; none for timeout / reset (the transport decides). */
export function faultResponse(kind: FaultKind): SimResponse | undefined {
  switch (kind) {
    case '5xx':
      return kakaoError(503, -9798, 'service under maintenance');
    case '-1':
      return kakaoError(500, -1, 'internal server error');
    case '-10':
      return kakaoError(400, -10, 'API limit has been exceeded.');
    case '-603':
      return kakaoError(400, -603, 'internal timeout');
    default:
      return undefined;
  }
}
