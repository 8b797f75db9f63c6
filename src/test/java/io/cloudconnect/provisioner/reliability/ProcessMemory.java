package io.cloudconnect.provisioner.reliability;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A process's memory as Linux and the JVM report it: RSS, its peak, the heap after a full GC. */
public final class ProcessMemory {
  private ProcessMemory() {}

  public static long rssKiB(long pid) throws Exception {
    return statusKiB(pid, "VmRSS:");
  }

  /** The process's peak RSS so far (its high-water mark). */
  public static long peakRssKiB(long pid) throws Exception {
    return statusKiB(pid, "VmHWM:");
  }

  private static long statusKiB(long pid, String field) throws Exception {
    return Files.readAllLines(new File("/proc/" + pid + "/status").toPath()).stream()
        .filter(l -> l.startsWith(field))
        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
        .findFirst()
        .orElse(-1L);
  }

  public static long heapAfterGcKiB(long pid) throws Exception {
    run(ServiceProcess.jdkTool("jcmd"), String.valueOf(pid), "GC.run");
    String info = run(ServiceProcess.jdkTool("jcmd"), String.valueOf(pid), "GC.heap_info");
    // G1: "garbage-first heap total ..., used NK"; serial: one line per generation (summed);
    // Metaspace and class space lines are not the heap
    Matcher used =
        Pattern.compile("(?:heap|generation)\\s+total \\d+K, used (\\d+)K").matcher(info);
    long kib = 0;
    boolean found = false;
    while (used.find()) {
      kib += Long.parseLong(used.group(1));
      found = true;
    }
    return found ? kib : -1;
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return output;
  }
}
