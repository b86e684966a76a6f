import type { SlackChannelSpec, SlackMessage } from './types.js';

interface Channel {
  readonly id: string;
  readonly name: string;
}

/**
 * The workspace's channels and messages. Channel lookups accept an id (`C0001`) or a name with or without
 * `#`. `ts` values are unique and strictly increasing, formatted like Slack's `"1700000000.000100"`.
 */
export class MessageStore {
  private readonly byId = new Map<string, Channel>();
  private readonly byName = new Map<string, Channel>();
  private readonly messagesByChannel = new Map<string, SlackMessage[]>();
  private readonly isOpen: boolean;
  private lastMicros = 0n;
  private nextChannel = 1;

  constructor(
    channels: readonly (string | SlackChannelSpec)[] | undefined,
    private readonly now: () => number,
  ) {
    this.isOpen = channels === undefined;
    for (const c of channels ?? []) this.addChannel(typeof c === 'string' ? { name: c } : c);
  }

  /** Adds a channel to the workspace; returns its id. */
  addChannel(spec: SlackChannelSpec): string {
    const name = spec.name.replace(/^#/, '');
    const existing = this.byName.get(name);
    if (existing !== undefined) return existing.id;
    const id = spec.id ?? `C${String(this.nextChannel++).padStart(8, '0')}`;
    const channel = { id, name };
    this.byId.set(id, channel);
    this.byName.set(name, channel);
    return id;
  }

  /** Resolves an id or name; in an open workspace (no channel list) unknown names are created. */
  resolve(ref: string): Channel | undefined {
    const known = this.byId.get(ref) ?? this.byName.get(ref.replace(/^#/, ''));
    if (known !== undefined || !this.isOpen || ref.trim() === '') return known;
    const id = this.addChannel({ name: ref });
    return this.byId.get(id);
  }

  /** A channel by id only (methods such as conversations.history do not accept names). */
  byChannelId(id: string): Channel | undefined {
    return this.byId.get(id);
  }

  channels(): readonly Channel[] {
    return [...this.byId.values()];
  }

  nextTs(): string {
    const nowMicros = BigInt(Math.floor(this.now())) * 1000n;
    this.lastMicros = nowMicros > this.lastMicros ? nowMicros : this.lastMicros + 1n;
    const seconds = this.lastMicros / 1_000_000n;
    const micros = this.lastMicros % 1_000_000n;
    return `${seconds}.${micros.toString().padStart(6, '0')}`;
  }

  add(message: SlackMessage): void {
    const list = this.messagesByChannel.get(message.channel) ?? [];
    list.push(message);
    this.messagesByChannel.set(message.channel, list);
  }

  find(channelId: string, ts: string): SlackMessage | undefined {
    return this.messagesByChannel.get(channelId)?.find((m) => m.ts === ts);
  }

  replace(message: SlackMessage): void {
    const list = this.messagesByChannel.get(message.channel) ?? [];
    const i = list.findIndex((m) => m.ts === message.ts);
    if (i >= 0) list[i] = message;
  }

  /** Every message of a channel id (top-level and replies) in posting order. */
  channelMessages(channelId: string): readonly SlackMessage[] {
    return this.messagesByChannel.get(channelId) ?? [];
  }

  /** Every message of a channel (top-level and replies) in posting order. */
  messages(ref: string): readonly SlackMessage[] {
    const channel = this.byId.get(ref) ?? this.byName.get(ref.replace(/^#/, ''));
    return channel === undefined ? [] : [...(this.messagesByChannel.get(channel.id) ?? [])];
  }

  /** Replies of the thread whose parent has this `ts`, in any channel. */
  replies(threadTs: string): readonly SlackMessage[] {
    const out: SlackMessage[] = [];
    for (const list of this.messagesByChannel.values()) {
      for (const m of list) if (m.thread_ts === threadTs && m.ts !== threadTs) out.push(m);
    }
    return out;
  }

  all(): readonly SlackMessage[] {
    return [...this.messagesByChannel.values()].flat();
  }

  channelName(id: string): string {
    return this.byId.get(id)?.name ?? id;
  }

  clear(): void {
    this.messagesByChannel.clear();
  }
}
