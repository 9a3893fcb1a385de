import { useEffect, useState } from 'preact/hooks';
import type { JobMeta } from '@/lib/jobs/model';
import { jobReader } from '@/lib/jobs/reader';

/** The job list, live: the background writes it to the extension's store after every confirmed batch. */
export function useJobs(): JobMeta[] | null {
  const [jobs, setJobs] = useState<JobMeta[] | null>(null);
  useEffect(() => {
    void jobReader.list().then(setJobs);
    return jobReader.watch(setJobs);
  }, []);
  return jobs;
}

export function useJob(jobId: string | null): JobMeta | undefined {
  const jobs = useJobs();
  return jobId ? jobs?.find((j) => j.id === jobId) : undefined;
}

/** Re-renders every second while `active`, so rates and "time left" stay current. */
export function useTicker(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}
