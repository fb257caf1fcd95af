// The compact audio player: takes over from the browser's control when JavaScript runs.
(function () {
  const SPEEDS = [1, 1.25, 1.5, 2];
  // Keys move the position from where the audio is, not from the slider's rounded value.
  const SEEK_KEYS = { ArrowLeft: -5, ArrowDown: -5, ArrowRight: 5, ArrowUp: 5, PageDown: -30, PageUp: 30 };

  function spoken(seconds) {
    const whole = Math.round(seconds);
    const minutes = Math.floor(whole / 60);
    return minutes ? `${minutes} min ${whole % 60} s` : `${whole % 60} s`;
  }

  function clock(seconds) {
    const whole = Math.round(seconds);
    return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
  }

  function enhance(section) {
    const audio = section.querySelector("audio");
    const controls = section.querySelector("[data-controls]");
    const play = controls.querySelector("[data-play]");
    const playLabel = controls.querySelector("[data-play-label]");
    const seek = controls.querySelector("[data-seek]");
    const elapsed = controls.querySelector("[data-elapsed]");
    const total = controls.querySelector("[data-total]");
    const speed = controls.querySelector("[data-speed]");
    const speedLabel = controls.querySelector("[data-speed-label]");
    const captionsToggle = controls.querySelector("[data-captions]");
    const caption = section.querySelector("[data-caption]");
    // The stored length until the file's own is known: the same figure, rounded.
    let duration = Number(seek.max);

    function showPosition() {
      const at = Math.min(audio.currentTime, duration);
      seek.value = at;
      seek.setAttribute("aria-valuetext", `${spoken(at)} of ${spoken(duration)}`);
      elapsed.textContent = clock(at);
    }

    function showPlaying() {
      section.classList.toggle("narration--playing", !audio.paused);
      playLabel.textContent = audio.paused ? "Play" : "Pause";
    }

    audio.controls = false;
    controls.hidden = false;
    section.classList.add("narration--enhanced");

    play.addEventListener("click", () => (audio.paused ? audio.play() : audio.pause()));
    audio.addEventListener("play", showPlaying);
    audio.addEventListener("pause", showPlaying);
    audio.addEventListener("ended", showPlaying);
    audio.addEventListener("timeupdate", showPosition);
    function takeFileDuration() {
      if (!Number.isFinite(audio.duration)) return;
      duration = audio.duration;
      seek.max = duration;
      total.textContent = clock(duration);
      showPosition();
    }
    audio.addEventListener("loadedmetadata", takeFileDuration);
    function seekTo(seconds) {
      audio.currentTime = Math.max(0, Math.min(seconds, duration));
      showPosition();
    }
    seek.addEventListener("input", () => seekTo(Number(seek.value)));
    seek.addEventListener("keydown", (event) => {
      let to;
      if (event.key === "Home") to = 0;
      else if (event.key === "End") to = duration;
      else if (event.key in SEEK_KEYS) to = audio.currentTime + SEEK_KEYS[event.key];
      else return;
      event.preventDefault();
      seekTo(to);
    });

    speed.addEventListener("click", () => {
      const next = SPEEDS[(SPEEDS.indexOf(audio.playbackRate) + 1) % SPEEDS.length];
      audio.playbackRate = next;
      speedLabel.textContent = `${next}×`;
    });

    if (captionsToggle && audio.textTracks.length) {
      const track = audio.textTracks[0];
      // An <audio> element draws no cues: "hidden" loads them (on first use) and fires cuechange,
      // and the page shows them.
      track.addEventListener("cuechange", () => {
        caption.textContent = Array.from(track.activeCues || [], (cue) => cue.text).join(" ");
      });
      captionsToggle.addEventListener("click", () => {
        const on = captionsToggle.getAttribute("aria-pressed") !== "true";
        captionsToggle.setAttribute("aria-pressed", String(on));
        track.mode = on ? "hidden" : "disabled";
        caption.hidden = !on;
      });
    }
  }

  document.querySelectorAll("[data-narration]").forEach(enhance);
})();
