<?xml version="1.0" encoding="UTF-8"?>
<!--
  How a document page is cited (issue #14): the suggested citation with a copy button, its
  exports (BibTeX, RIS, CSL-JSON: downloads that need no script), and the metadata reference
  managers read in <head> (Highwire citation_*, Dublin Core, schema.org JSON-LD).
  Every field comes from the context (toolkit/tei/citation.py, the model's document facts, the
  [html] options), never from the TEI again; the JSON is built as XPath maps and arrays and
  serialised, never by joining strings.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:array="http://www.w3.org/2005/xpath-functions/array"
  exclude-result-prefixes="#all">

  <!-- The fields of a document's citation, one map (the source of every form below). -->
  <xsl:function name="fp:citation" as="map(*)">
    <xsl:param name="doc" as="element(document)"/>
    <xsl:param name="lang" as="xs:string?"/>
    <xsl:variable name="c" select="$edition-context/edition/citation"/>
    <xsl:variable name="pdf" select="fp:pdf-href($doc/@pdf, '')"/>
    <xsl:sequence select="map{
      'id': string($doc/@id),
      'title': string($doc/@title),
      'when': string($doc/@when),
      'date': string($doc/date),
      'call-number': string($doc/call-number),
      'edition': $f:site-title,
      'editors': array{ for $e in $c/editor return string($e) },
      'version': string($c/@version),
      'edition-date': string($c/@date),
      'publisher': string($c/@publisher),
      'url': (f:permalink($doc/@page), '')[1],
      'pdf': if (exists($pdf) and matches($pdf, '^https?:')) then $pdf else '',
      'lang': string($lang)}"/>
  </xsl:function>

  <!-- A PDF's address from a page $prefix away from the site root: [html] pdf_url + the file;
       () without a pdf_url. -->
  <xsl:function name="fp:pdf-href" as="xs:string?">
    <xsl:param name="file" as="xs:string?"/>
    <xsl:param name="prefix" as="xs:string"/>
    <xsl:variable name="base" select="string($edition-context/edition/@pdf-url)"/>
    <xsl:sequence select="if ($base = '' or not(normalize-space($file))) then ()
      else if (matches($base, '^https?:')) then concat($base, encode-for-uri($file))
      else if (string($edition-context/edition/@base-url) != '' and $prefix = '')
        then string(resolve-uri(concat($base, encode-for-uri($file)), $edition-context/edition/@base-url))
      else concat($prefix, $base, encode-for-uri($file))"/>
  </xsl:function>

  <!-- "1937-06-14" → ("1937", "06", "14") -->
  <xsl:function name="fp:date-parts" as="xs:string*">
    <xsl:param name="when" as="xs:string"/>
    <xsl:sequence select="if (matches($when, '^\d{4}(-\d{2}(-\d{2})?)?$')) then tokenize($when, '-') else ()"/>
  </xsl:function>

  <!-- The visible suggested citation, its copy button and its exports. -->
  <xsl:template name="f:citation-section">
    <xsl:param name="cite" as="map(*)"/>
    <xsl:param name="page" as="xs:string"/>
    <xsl:variable name="eds" select="array:flatten($cite?editors)"/>
    <section class="citation" id="citation" aria-labelledby="citation-heading" data-pagefind-ignore="">
      <h2 id="citation-heading"><xsl:value-of select="f:msg('cite.heading')"/></h2>
      <p class="cite-text" id="cite-text">“<bdi><xsl:value-of select="$cite?title"/></bdi>,”<xsl:if test="$cite?date != ''"><xsl:text> </xsl:text><xsl:value-of select="$cite?date"/>,</xsl:if>
        <xsl:if test="$cite?call-number != ''"><xsl:text> </xsl:text><xsl:value-of select="$cite?call-number"/>,</xsl:if>
        <xsl:text> </xsl:text><xsl:value-of select="f:msg('cite.in-edition')"/><xsl:text> </xsl:text><cite><xsl:value-of select="$cite?edition"/></cite><xsl:if test="exists($eds)">, <xsl:value-of select="f:msg('cite.ed')"/><xsl:text> </xsl:text><xsl:value-of select="string-join($eds, ', ')"/></xsl:if>
        <xsl:if test="$cite?version != ''">, <xsl:value-of select="f:msg('cite.version')"/><xsl:text> </xsl:text><xsl:value-of select="$cite?version"/></xsl:if>
        <xsl:if test="$cite?edition-date != ''"> (<xsl:value-of select="$cite?edition-date"/>)</xsl:if>
        <xsl:if test="$cite?publisher != '' and not($cite?publisher = $eds)">, <xsl:value-of select="$cite?publisher"/></xsl:if>,
        <span class="cite-url" data-permalink="{$cite?url}"><xsl:value-of select="($cite?url[. != ''], $page)[1]"/></span>
        <xsl:text> </xsl:text>(<xsl:value-of select="f:msg('cite.accessed')"/><xsl:text> </xsl:text><span class="cite-accessed">[<xsl:value-of select="f:msg('cite.date')"/>]</span>).</p>
      <p class="cite-tools">
        <button type="button" class="cite-copy" hidden="hidden"><xsl:value-of select="f:msg('cite.copy')"/></button>
        <span class="cite-copied" role="status"></span>
        <span class="cite-exports"><xsl:value-of select="f:msg('cite.download')"/><xsl:text> </xsl:text><a download="{$cite?id}.bib" type="application/x-bibtex"
            href="data:application/x-bibtex;charset=utf-8,{encode-for-uri(fp:bibtex($cite))}">BibTeX</a>
          · <a download="{$cite?id}.ris" type="application/x-research-info-systems"
            href="data:application/x-research-info-systems;charset=utf-8,{encode-for-uri(fp:ris($cite))}">RIS</a>
          · <a download="{$cite?id}.json" type="application/vnd.citationstyles.csl+json"
            href="data:application/vnd.citationstyles.csl+json;charset=utf-8,{encode-for-uri(fp:csl-json($cite))}">CSL-JSON</a></span>
      </p>
      <p class="cite-help"><xsl:sequence select="f:msg-nodes('cite.help', map{'p': fp:code('#p-1'), 'note': fp:code('#note-1')})"/></p>
    </section>
  </xsl:template>

  <!-- BibTeX: an entry in a collection, its text escaped for TeX -->
  <xsl:function name="fp:tex" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="replace(replace(replace(normalize-space($s), '\\', '\\textbackslash '), '([{}%&amp;$#_])', '\\$1'), '~', '\\textasciitilde{}')"/>
  </xsl:function>
  <xsl:function name="fp:bibtex" as="xs:string">
    <xsl:param name="c" as="map(*)"/>
    <xsl:variable name="parts" select="fp:date-parts($c?when)"/>
    <xsl:variable name="fields" as="xs:string*" select="(
      'title = {' || fp:tex($c?title) || '}',
      if (exists($parts)) then ('date = {' || $c?when || '}', 'year = {' || $parts[1] || '}') else (),
      'booktitle = {' || fp:tex($c?edition) || '}',
      if (array:size($c?editors) gt 0) then 'editor = {' || string-join(array:flatten($c?editors) ! ('{' || fp:tex(.) || '}'), ' and ') || '}' else (),
      if ($c?publisher != '') then 'publisher = {' || fp:tex($c?publisher) || '}' else (),
      if ($c?version != '') then 'version = {' || fp:tex($c?version) || '}' else (),
      if ($c?call-number != '') then 'note = {' || fp:tex($c?call-number) || '}' else (),
      if ($c?url != '') then 'url = {' || $c?url || '}' else (),
      if ($c?lang != '') then 'langid = {' || $c?lang || '}' else ())"
     />
    <xsl:sequence select="'@incollection{' || replace($c?id, '[^A-Za-z0-9:._-]', '_') || ',&#10;  '
      || string-join($fields, ',&#10;  ') || '&#10;}&#10;'"/>
  </xsl:function>

  <!-- RIS: a manuscript (an archival document) in an edition -->
  <xsl:function name="fp:ris" as="xs:string">
    <xsl:param name="c" as="map(*)"/>
    <xsl:variable name="parts" select="fp:date-parts($c?when)"/>
    <xsl:variable name="lines" as="xs:string*" select="(
      'TY  - MANSCPT',
      'TI  - ' || normalize-space($c?title),
      array:flatten($c?editors) ! ('A2  - ' || normalize-space(.)),
      'T2  - ' || normalize-space($c?edition),
      if (exists($parts)) then ('PY  - ' || $parts[1], 'DA  - ' || string-join(($parts, '', '', '')[position() le 3], '/')) else (),
      if ($c?call-number != '') then 'CN  - ' || normalize-space($c?call-number) else (),
      if ($c?publisher != '') then 'PB  - ' || normalize-space($c?publisher) else (),
      if ($c?version != '') then 'ET  - ' || normalize-space($c?version) else (),
      if ($c?url != '') then 'UR  - ' || $c?url else (),
      if ($c?lang != '') then 'LA  - ' || $c?lang else (),
      'ER  - ')"/>
    <xsl:sequence select="string-join($lines, '&#13;&#10;') || '&#13;&#10;'"/>
  </xsl:function>

  <!-- CSL-JSON: one item, built as a map -->
  <xsl:function name="fp:csl-json" as="xs:string">
    <xsl:param name="c" as="map(*)"/>
    <xsl:variable name="parts" select="fp:date-parts($c?when)"/>
    <xsl:variable name="item" select="map:merge((
      map{'id': $c?id, 'type': 'manuscript', 'title': $c?title, 'container-title': $c?edition},
      if (array:size($c?editors) gt 0) then map{'editor': array{ array:flatten($c?editors) ! map{'literal': .} }} else (),
      if (exists($parts)) then map{'issued': map{'date-parts': array{ array{ $parts ! xs:integer(.) } }}} else (),
      if ($c?call-number != '') then map{'archive_location': $c?call-number} else (),
      if ($c?publisher != '') then map{'publisher': $c?publisher} else (),
      if ($c?version != '') then map{'version': $c?version} else (),
      if ($c?url != '') then map{'URL': $c?url} else (),
      if ($c?lang != '') then map{'language': $c?lang} else ()))"
     />
    <xsl:sequence select="serialize(array{ $item }, map{'method': 'json', 'indent': true()})"/>
  </xsl:function>

  <!-- <head>: Highwire Press tags, Dublin Core, schema.org JSON-LD -->
  <xsl:template name="f:citation-meta">
    <xsl:param name="cite" as="map(*)"/>
    <xsl:variable name="eds" select="array:flatten($cite?editors)"/>
    <xsl:variable name="parts" select="fp:date-parts($cite?when)"/>
    <meta name="citation_title" content="{$cite?title}"/>
    <xsl:if test="exists($parts)"><meta name="citation_date" content="{string-join($parts, '/')}"/></xsl:if>
    <meta name="citation_inbook_title" content="{$cite?edition}"/>
    <xsl:for-each select="$eds"><meta name="citation_editor" content="{.}"/></xsl:for-each>
    <xsl:if test="$cite?publisher != ''"><meta name="citation_publisher" content="{$cite?publisher}"/></xsl:if>
    <xsl:if test="$cite?url != ''"><meta name="citation_public_url" content="{$cite?url}"/></xsl:if>
    <xsl:if test="$cite?pdf != ''"><meta name="citation_pdf_url" content="{$cite?pdf}"/></xsl:if>
    <xsl:if test="$cite?lang != ''"><meta name="citation_language" content="{$cite?lang}"/></xsl:if>
    <link rel="schema.DC" href="http://purl.org/dc/elements/1.1/"/>
    <meta name="DC.title" content="{$cite?title}"/>
    <xsl:if test="exists($parts)"><meta name="DC.date" content="{$cite?when}"/></xsl:if>
    <xsl:for-each select="$eds"><meta name="DC.contributor" content="{.}"/></xsl:for-each>
    <xsl:if test="$cite?publisher != ''"><meta name="DC.publisher" content="{$cite?publisher}"/></xsl:if>
    <xsl:if test="$cite?call-number != ''"><meta name="DC.source" content="{$cite?call-number}"/></xsl:if>
    <meta name="DC.relation.ispartof" content="{$cite?edition}"/>
    <xsl:if test="$cite?url != ''"><meta name="DC.identifier" content="{$cite?url}"/></xsl:if>
    <xsl:if test="$cite?lang != ''"><meta name="DC.language" content="{$cite?lang}"/></xsl:if>
    <meta name="DC.type" content="Text"/>
    <script type="application/ld+json"><xsl:value-of select="fp:json-ld($cite)"/></script>
  </xsl:template>

  <!-- schema.org: the document as a component of an archive, part of the edition; serialised,
       with every "<" as \u003c so that no "</script" (nor a comment opener) can end the element early -->
  <xsl:function name="fp:json-ld" as="xs:string">
    <xsl:param name="c" as="map(*)"/>
    <xsl:variable name="edition" select="map:merge((
      map{'@type': 'CreativeWork', 'name': $c?edition},
      if (array:size($c?editors) gt 0) then map{'editor': array{ array:flatten($c?editors) ! map{'@type': 'Thing', 'name': .} }} else (),
      if ($c?publisher != '') then map{'publisher': map{'@type': 'Organization', 'name': $c?publisher}} else (),
      if ($c?version != '') then map{'version': $c?version} else (),
      if (string($edition-context/edition/@base-url) != '') then map{'url': string($edition-context/edition/@base-url)} else ()))"
     />
    <xsl:variable name="data" select="map:merge((
      map{'@context': 'https://schema.org', '@type': 'ArchiveComponent', 'name': $c?title, 'isPartOf': $edition},
      if (exists(fp:date-parts($c?when))) then map{'dateCreated': $c?when} else (),
      if ($c?call-number != '') then map{'identifier': $c?call-number} else (),
      if ($c?url != '') then map{'url': $c?url, '@id': $c?url} else (),
      if ($c?pdf != '') then map{'encoding': map{'@type': 'MediaObject', 'encodingFormat': 'application/pdf', 'contentUrl': $c?pdf}} else (),
      if ($c?lang != '') then map{'inLanguage': $c?lang} else ()))"
     />
    <xsl:sequence select="replace(serialize($data, map{'method': 'json'}), '&lt;', '\\u003c')"/>
  </xsl:function>
</xsl:stylesheet>
