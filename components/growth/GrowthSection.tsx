import { i18n } from '#i18n';
import { channelLinks, LINK_KINDS, type ChannelLinkKind } from '@/lib/growth/links';
import type { GrowthChannel } from '@/lib/messages/commands/growth';
import { ErrorNotice } from '../ErrorNotice';
import { useCopy } from './clipboard';
import { QrCode } from './QrCode';
import { SnippetGenerator } from './SnippetGenerator';
import { useGrowthChannels } from './useGrowthChannels';
import './growth.css';

const LINK_LABEL: Record<ChannelLinkKind, () => string> = {
  friend: () => i18n.t('growth.linkFriend'),
  chat: () => i18n.t('growth.linkChat'),
  home: () => i18n.t('growth.linkHome'),
};

function ChannelCard({ channel }: { channel: GrowthChannel }) {
  const links = channelLinks(channel.publicId);
  const { copy, copiedId, failedId } = useCopy();
  return (
    <section class="card growth-channel" data-channel-id={channel.publicId} aria-labelledby={`ch-${channel.publicId}`}>
      <h2 id={`ch-${channel.publicId}`}>
        {channel.publicId} {channel.uuid ? <span class="muted">{channel.uuid}</span> : null}
      </h2>
      <div class="growth-links">
        {LINK_KINDS.map((kind) => {
          const id = `${channel.publicId}-${kind}`;
          const label = `${channel.publicId} ${LINK_LABEL[kind]()}`;
          return (
            <div class="growth-link" key={kind} data-link={kind}>
              <h3>{LINK_LABEL[kind]()}</h3>
              <QrCode text={links[kind]} label={label} fileBase={`${channel.publicId}-${kind}-qr`} />
              <div class="row">
                <input
                  type="text"
                  readOnly
                  value={links[kind]}
                  aria-label={label}
                  class="grow mono"
                  onFocus={(e) => e.currentTarget.select()}
                />
                <button type="button" onClick={() => void copy(id, links[kind])} aria-live="polite">
                  {copiedId === id ? `✓ ${i18n.t('growth.copied')}` : i18n.t('growth.copy')}
                </button>
              </div>
              {failedId === id ? <p class="field-error">{i18n.t('growth.copyFailed')}</p> : null}
            </div>
          );
        })}
      </div>
    </section>
  );
}

/** Workspace section: links, QR codes and snippets for every configured channel. */
export default function GrowthSection() {
  const { data, error } = useGrowthChannels();
  return (
    <div class="growth">
      <h1>{i18n.t('growth.title')}</h1>
      <p class="muted">{i18n.t('growth.intro')}</p>
      {error ? <ErrorNotice error={error} /> : null}
      {!data && !error ? <p class="muted">{i18n.t('common.loading')}</p> : null}
      {data && data.channels.length === 0 ? (
        <div class="card empty" data-testid="growth-empty">
          <p>{i18n.t('growth.noChannels')}</p>
          <button type="button" class="primary" onClick={() => void browser.runtime.openOptionsPage()}>
            {i18n.t('popup.openOptions')}
          </button>
        </div>
      ) : null}
      {data?.demo ? <p class="notice">{i18n.t('growth.demoChannels')}</p> : null}
      {data?.channels.map((c) => (
        <ChannelCard channel={c} key={c.publicId} />
      ))}
      {data && data.channels.length > 0 ? <SnippetGenerator channels={data.channels} /> : null}
    </div>
  );
}
