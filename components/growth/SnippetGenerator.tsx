import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import {
  addChannelButtonAssetName,
  addChannelButtonSnippet,
  chatButtonAssetName,
  chatButtonSnippet,
  DEFAULT_SDK_VERSION,
  followChannelSnippet,
} from '@/lib/growth/snippets';
import type { GrowthChannel } from '@/lib/messages/commands/growth';
import { useCopy } from './clipboard';

type Kind = 'add' | 'chat' | 'follow';
type Size = 'small' | 'large';

function Radio<T extends string>(props: {
  name: string;
  legend: string;
  value: T;
  options: [T, string][];
  onChange: (v: T) => void;
}) {
  return (
    <fieldset class="radios">
      <legend>{props.legend}</legend>
      {props.options.map(([value, label]) => (
        <label class="inline" key={value}>
          <input
            type="radio"
            name={props.name}
            value={value}
            checked={props.value === value}
            onChange={() => props.onChange(value)}
          />
          {label}
        </label>
      ))}
    </fieldset>
  );
}

/** Builds Kakao JS SDK snippets (add-channel button, chat button, followChannel) with a local preview. */
export function SnippetGenerator({ channels }: { channels: GrowthChannel[] }) {
  const [channelId, setChannelId] = useState(channels[0]!.publicId);
  const [kind, setKind] = useState<Kind>('add');
  const [size, setSize] = useState<Size>('small');
  const [title, setTitle] = useState<'consult' | 'question'>('consult');
  const [color, setColor] = useState<'yellow' | 'mono'>('yellow');
  const [shape, setShape] = useState<'pc' | 'mobile'>('pc');
  const [densities, setDensities] = useState(true);
  const [jsKey, setJsKey] = useState('');
  const [sdkVersion, setSdkVersion] = useState(DEFAULT_SDK_VERSION);
  const [followLabel, setFollowLabel] = useState(i18n.t('growth.followLabelDefault'));
  const { copy, copiedId } = useCopy();

  const jsKeyOk = jsKey.trim() === '' || /^[A-Za-z0-9]{8,64}$/.test(jsKey.trim());
  const versionOk = /^\d+\.\d+\.\d+$/.test(sdkVersion.trim());
  const common = {
    channelId,
    sdkVersion: versionOk ? sdkVersion.trim() : DEFAULT_SDK_VERSION,
    ...(jsKeyOk && jsKey.trim() ? { jsKey: jsKey.trim() } : {}),
  };
  const code =
    kind === 'add'
      ? addChannelButtonSnippet({ ...common, size, supportMultipleDensities: densities })
      : kind === 'chat'
        ? chatButtonSnippet({ ...common, title, size, color, shape, supportMultipleDensities: densities })
        : followChannelSnippet({ ...common, buttonLabel: followLabel.trim() || i18n.t('growth.followLabelDefault') });

  const previewText =
    kind === 'add'
      ? i18n.t('growth.previewAdd')
      : kind === 'chat'
        ? title === 'consult'
          ? i18n.t('growth.previewConsult')
          : i18n.t('growth.previewQuestion')
        : followLabel;
  const asset =
    kind === 'add'
      ? addChannelButtonAssetName({ size })
      : kind === 'chat'
        ? chatButtonAssetName({ title, size, color, shape })
        : null;

  return (
    <section class="card" aria-labelledby="snippets-title" data-testid="snippets">
      <h2 id="snippets-title">{i18n.t('growth.snippetsTitle')}</h2>
      <p class="notice">{i18n.t('growth.snippetNote')}</p>
      <div class="snippet-grid">
        <div class="snippet-options">
          <label for="snippetChannel">{i18n.t('growth.snippetChannel')}</label>
          <select
            id="snippetChannel"
            name="snippetChannel"
            value={channelId}
            onChange={(e) => setChannelId(e.currentTarget.value)}
          >
            {channels.map((c) => (
              <option value={c.publicId} key={c.publicId}>
                {c.publicId}
                {c.uuid ? ` (${c.uuid})` : ''}
              </option>
            ))}
          </select>
          <Radio<Kind>
            name="snippetKind"
            legend={i18n.t('growth.snippetKind')}
            value={kind}
            onChange={setKind}
            options={[
              ['add', i18n.t('growth.kindAdd')],
              ['chat', i18n.t('growth.kindChat')],
              ['follow', i18n.t('growth.kindFollow')],
            ]}
          />
          {kind !== 'follow' ? (
            <Radio<Size>
              name="size"
              legend={i18n.t('growth.size')}
              value={size}
              onChange={setSize}
              options={[
                ['small', i18n.t('growth.sizeSmall')],
                ['large', i18n.t('growth.sizeLarge')],
              ]}
            />
          ) : null}
          {kind === 'chat' ? (
            <>
              <Radio
                name="title"
                legend={i18n.t('growth.buttonTitle')}
                value={title}
                onChange={setTitle}
                options={[
                  ['consult', i18n.t('growth.titleConsult')],
                  ['question', i18n.t('growth.titleQuestion')],
                ]}
              />
              <Radio
                name="color"
                legend={i18n.t('growth.color')}
                value={color}
                onChange={setColor}
                options={[
                  ['yellow', i18n.t('growth.colorYellow')],
                  ['mono', i18n.t('growth.colorMono')],
                ]}
              />
              <Radio
                name="shape"
                legend={i18n.t('growth.shape')}
                value={shape}
                onChange={setShape}
                options={[
                  ['pc', i18n.t('growth.shapePc')],
                  ['mobile', i18n.t('growth.shapeMobile')],
                ]}
              />
            </>
          ) : null}
          {kind !== 'follow' ? (
            <label class="inline">
              <input
                type="checkbox"
                name="densities"
                checked={densities}
                onChange={(e) => setDensities(e.currentTarget.checked)}
              />
              {i18n.t('growth.densities')}
            </label>
          ) : (
            <>
              <label for="followLabel">{i18n.t('growth.followLabel')}</label>
              <input
                id="followLabel"
                type="text"
                maxLength={40}
                value={followLabel}
                onInput={(e) => setFollowLabel(e.currentTarget.value)}
              />
            </>
          )}
          <label for="jsKey">{i18n.t('growth.jsKeyLabel')}</label>
          <input
            id="jsKey"
            name="jsKey"
            type="text"
            autoComplete="off"
            spellcheck={false}
            value={jsKey}
            onInput={(e) => setJsKey(e.currentTarget.value)}
            aria-invalid={jsKeyOk ? 'false' : 'true'}
            aria-describedby="jsKeyHelp"
          />
          <p id="jsKeyHelp" class="muted">
            {i18n.t('growth.jsKeyHelp')}
          </p>
          {!jsKeyOk ? <p class="field-error">{i18n.t('growth.jsKeyInvalid')}</p> : null}
          <label for="sdkVersion">{i18n.t('growth.sdkVersionLabel')}</label>
          <input
            id="sdkVersion"
            type="text"
            value={sdkVersion}
            onInput={(e) => setSdkVersion(e.currentTarget.value)}
            aria-invalid={versionOk ? 'false' : 'true'}
          />
        </div>
        <div class="snippet-output">
          <h3>{i18n.t('growth.preview')}</h3>
          <div class="preview-stage">
            <span
              class={
                `kakao-preview kind-${kind} size-${size} color-${kind === 'chat' ? color : 'yellow'} ` +
                `shape-${kind === 'chat' ? shape : 'pc'}`
              }
              data-testid="snippet-preview"
              aria-hidden="true"
            >
              <span class="bubble">💬</span>
              <span class="label">{previewText}</span>
            </span>
          </div>
          {asset ? <p class="muted">{i18n.t('growth.previewNote', [asset])}</p> : null}
          <pre class="code" data-testid="snippet-code" tabIndex={0}>
            <code>{code}</code>
          </pre>
          <button type="button" class="primary" onClick={() => void copy('snippet', code)}>
            {copiedId === 'snippet' ? `✓ ${i18n.t('growth.copied')}` : i18n.t('growth.copySnippet')}
          </button>
        </div>
      </div>
    </section>
  );
}
