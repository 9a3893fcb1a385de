import { i18n } from '#i18n';
import type { UserRelationship } from '@/lib/kakao/schemas';
import { RelationMark } from './RelationMark';
import { formatTime } from './lang';
import { unknownReasonText } from '@/lib/unknown-reason';

/** One row per channel: `data-channel-id` + `data-relation` are public attributes. */
export function RelationList({ result }: { result: UserRelationship }) {
  if (result.channels.length === 0 && result.reason) {
    // Kakao answered without channels and no channel was asked for by ID: one UNKNOWN line with the reason.
    return (
      <p data-relation="UNKNOWN" data-unknown-reason={result.reason}>
        <RelationMark relation="UNKNOWN" /> <span class="muted">{unknownReasonText(result.reason)}</span>
      </p>
    );
  }
  if (result.channels.length === 0) return <p class="muted">{i18n.t('popup.noChannels')}</p>;
  return (
    <ul class="relations" aria-label={i18n.t('popup.resultFor', [result.user_id])}>
      {result.channels.map((c) => (
        <li key={c.channel_public_id} data-channel-id={c.channel_public_id} data-relation={c.relation}>
          <span>
            <strong>{c.channel_uuid ?? c.channel_public_id}</strong>
            <br />
            <span class="muted">{c.channel_public_id}</span>
          </span>
          <span class="text-right">
            <RelationMark relation={c.relation} />
            {c.updated_at ? (
              <>
                <br />
                <span class="muted">{i18n.t('common.changedAt', [formatTime(c.updated_at)])}</span>
              </>
            ) : null}
            {c.relation === 'UNKNOWN' && c.reason ? (
              <>
                <br />
                <span class="muted" data-unknown-reason={c.reason}>
                  {unknownReasonText(c.reason)}
                </span>
              </>
            ) : null}
          </span>
        </li>
      ))}
    </ul>
  );
}
