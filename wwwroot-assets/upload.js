// Uploads the file chosen in an <input type=file> as the raw request body (streamed by the server to disk), showing
// progress in the element with id progressId. Resolves to the server's JSON answer: { id } or { error }.
window.backupPanelUpload = (inputId, url, token, progressId) => new Promise((resolve) => {
    const file = document.getElementById(inputId)?.files?.[0];
    if (!file) { resolve({ error: "Choose a file first." }); return; }
    const xhr = new XMLHttpRequest();
    const progress = document.getElementById(progressId);
    xhr.open("POST", url);
    xhr.setRequestHeader("RequestVerificationToken", token);
    xhr.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.upload.onprogress = (e) => {
        if (progress && e.lengthComputable) progress.textContent = `Uploading ${file.name}: ${Math.floor(100 * e.loaded / e.total)} %`;
    };
    xhr.onload = () => {
        try { resolve(JSON.parse(xhr.responseText)); } catch { resolve({ error: `The upload failed (HTTP ${xhr.status}).` }); }
    };
    xhr.onerror = () => resolve({ error: "The upload was interrupted (network error or the server closed the connection)." });
    xhr.send(file);
});
