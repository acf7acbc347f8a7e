using System.Collections.Concurrent;
using Azure.Data.Tables;
using Workflows.Storage;

namespace Workflows.Benchmarks;

/// <summary>
/// Sees each case's timeline events and SMS as they are written, with one incremental query per table per
/// tick (rows newer than the last seen, by the storage Timestamp) instead of a poll per case. Times are the
/// rows' Timestamps, set by storage at the write, so the tick only delays the driver, not the measurement.
/// </summary>
public sealed class CaseWatcher : IAsyncDisposable
{
    /// <summary>Rows written in the same millisecond can become visible in either order: look back this far.</summary>
    private static readonly TimeSpan Overlap = TimeSpan.FromMilliseconds(250);
    /// <summary>Its queries load the storage being measured: often enough to keep cases moving, no more.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly TableClient _events;
    private readonly TableClient _sms;
    private readonly ConcurrentDictionary<(string CaseId, string Kind), TaskCompletionSource<DateTimeOffset>> _timeline = new();
    private readonly Dictionary<string, List<SmsSeen>> _smsByTag = [];
    private readonly List<(string Tag, string Marker, int Nth, TaskCompletionSource<SmsSeen> Source)> _smsWaiters = [];
    private readonly HashSet<string> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private long _queries;
    private volatile bool _watchSms;

    /// <summary>Queries the watcher has made (to subtract from the storage requests a run counts).</summary>
    public long Queries => Interlocked.Read(ref _queries);

    public sealed record SmsSeen(string To, string Message, DateTimeOffset At);

    public CaseWatcher(string storageConnectionString)
    {
        var service = new TableServiceClient(storageConnectionString);
        _events = service.GetTableClient(TableNames.CaseEvents);
        _sms = service.GetTableClient(TableNames.SmsOutbox);
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>When the case's timeline got an event of this kind (e.g. "case-opened", "closed").</summary>
    public Task<DateTimeOffset> EventAsync(string caseId, string kind) =>
        _timeline.GetOrAdd((caseId, kind), _ => NewSource<DateTimeOffset>()).Task;

    /// <summary>The <paramref name="nth"/> SMS (in the order seen) whose tag is the case and whose text contains <paramref name="marker"/>.</summary>
    public Task<SmsSeen> SmsAsync(string caseId, string marker, int nth = 1)
    {
        _watchSms = true;
        lock (_smsByTag)
        {
            if (_smsByTag.TryGetValue(caseId, out var sent) && sent.Where(m => m.Message.Contains(marker)).Skip(nth - 1).FirstOrDefault() is { } found)
                return Task.FromResult(found);
            var source = NewSource<SmsSeen>();
            _smsWaiters.Add((caseId, marker, nth, source));
            return source.Task;
        }
    }

    private void Saw(string tag, SmsSeen sms)
    {
        lock (_smsByTag)
        {
            if (!_smsByTag.TryGetValue(tag, out var sent)) _smsByTag[tag] = sent = [];
            sent.Add(sms);
            foreach (var w in _smsWaiters.Where(w => w.Tag == tag && sms.Message.Contains(w.Marker)
                         && sent.Count(m => m.Message.Contains(w.Marker)) == w.Nth).ToList())
            {
                w.Source.TrySetResult(sms);
                _smsWaiters.Remove(w);
            }
        }
    }

    private async Task LoopAsync()
    {
        var since = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(1);
        var smsSince = since;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var newest = since;
                Interlocked.Increment(ref _queries);
                await foreach (var e in _events.QueryAsync<TableEntity>(NewerThan(since), cancellationToken: _stop.Token))
                {
                    if (e.Timestamp > newest) newest = e.Timestamp.Value;
                    if (!_seen.Add("e|" + e.PartitionKey + e.RowKey)) continue;
                    _timeline.GetOrAdd((e.PartitionKey, e.GetString("Kind")), _ => NewSource<DateTimeOffset>())
                        .TrySetResult(e.Timestamp!.Value);
                }
                since = newest;
                if (_watchSms)
                {
                    var newestSms = smsSince;
                    Interlocked.Increment(ref _queries);
                    await foreach (var m in _sms.QueryAsync<TableEntity>(NewerThan(smsSince), cancellationToken: _stop.Token))
                    {
                        if (m.Timestamp > newestSms) newestSms = m.Timestamp.Value;
                        if (!_seen.Add("s|" + m.RowKey)) continue;
                        Saw(m.GetString("Tag"), new SmsSeen(m.GetString("To"), m.GetString("Message"), m.Timestamp!.Value));
                    }
                    smsSince = newestSms;
                }
                await Task.Delay(Tick, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
        }
    }

    private static string NewerThan(DateTimeOffset since) =>
        $"Timestamp ge datetime'{(since - Overlap).UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}'";

    private static TaskCompletionSource<T> NewSource<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        _stop.Dispose();
    }
}
